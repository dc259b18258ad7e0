export * from './school';
export { seededRandom } from './random';
