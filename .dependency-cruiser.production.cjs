/**
 * The second pass of `npm run boundaries`: production code alone (tests, test/ and
 * __fixtures__/ left out), so that its folders form a one-way graph. Tests may exercise two
 * folders together (simulator/core's tests drive fault plans); the folders themselves may not
 * lean on each other.
 */
const base = require('./.dependency-cruiser.cjs');
/** Test code, exactly as the rule that keeps it out of production defines it. */
const TEST = base.forbidden.find((rule) => rule.name === 'production-imports-no-test-code').to.path;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular-folders',
      severity: 'error',
      comment:
        'Folders depend one way (simulator/core applies simulator/faults, never the reverse; edge/http uses edge/trust, never the reverse): a folder cycle is a layer that is not one.',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    ...base.options,
    exclude: { path: [base.options.exclude.path, TEST] },
  },
};
