export { buildPython, run, type BuiltFile, type PythonProject } from '../fixtures/packages/pypi/build.ts';
