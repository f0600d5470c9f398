export * from './config/settings';
export * from './auth/authenticator';
export * from './logger';
export * from './telemetry';
export * from './metrics';
export * from './http/app';
export * from './process/shutdown';
export * from './service-parts';
