export { packNpm, tarballPath, type NpmProject } from '../fixtures/packages/npm/pack.ts';
