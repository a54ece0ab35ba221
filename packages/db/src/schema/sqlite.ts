export * from './sqlite/index';
