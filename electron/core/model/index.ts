export * from './parts';
export * from './providers';
export * from './schedule';
export * from './connection';
export * from './settings';
export * from './entities';
export * from './run';
export * from './link-decision';
