export * from './sqlite-file';
export * from './turn-transactions';
