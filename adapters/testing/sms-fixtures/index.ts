export * from './school';
export { seededRandom } from './random';
export * from './kamar';
