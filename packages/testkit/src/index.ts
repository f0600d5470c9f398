export * from './servers';
export * from './ws-client';
export * from './processes';
export * from './eventually';
export * from './conformance';
export * from './raw-http';
