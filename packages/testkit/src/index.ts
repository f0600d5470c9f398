export * from './servers';
export * from './ws-client';
export * from './processes';
export * from './eventually';
export * from './conformance';
export * from './otlp-receiver';
export * from './raw-http';
export * from './raw-bytes';
