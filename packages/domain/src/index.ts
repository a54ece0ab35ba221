export * from './auth';
export * from './clock';
export * from './errors';
export * from './pools';
