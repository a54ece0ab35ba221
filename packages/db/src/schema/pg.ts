export * from './pg/index';
