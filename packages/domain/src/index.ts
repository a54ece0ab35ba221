export * from './auth';
export * from './clock';
export * from './decimal';
export * from './errors';
export * from './events';
export * from './money';
export * from './pools';
