export * from './school';
export { seededRandom } from './random';
export * from './kamar';
export * from './avetmiss';
export * from './oneroster';
export * from './csv';
export * from './guardians';
