/**
 * The layering of docs/architecture.md, checked by a machine (`npm run boundaries`, part of
 * `npm run check` and so of `.ci/run`). A forbidden import fails the run with the rule's name
 * and comment; change a rule only together with docs/architecture.md.
 *
 * Test code is `*.test.ts`, anything under `test/`, and test kits in `__fixtures__/` folders
 * beside the code they support. Production code is everything else. Folder cycles are checked
 * on production code alone, in .dependency-cruiser.production.cjs (a test may exercise two
 * folders at once; the layers may not lean on each other).
 */

/** Test code, as a path pattern. */
const TEST = '(\\.test\\.ts$|^test/|/__fixtures__/)';

/** Node's modules that touch the world (protocol/ stays pure; crypto and buffers are fine). */
const IO_MODULES = '^(node:)?(fs|fs/promises|net|http|https|http2|tls|dgram|dns|dns/promises|child_process|cluster|worker_threads|readline)$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    // --- the direction of the layers --------------------------------------------------------
    {
      name: 'protocol-imports-no-layer',
      severity: 'error',
      comment:
        'protocol/ is the wire contract every layer shares: it imports nothing of edge/, simulator/, scenarios/, reports/, cli/, bench/, test/ or fixtures/ (its own tests may use fixtures/).',
      from: { path: '^protocol/', pathNot: TEST },
      to: { path: '^(edge|simulator|scenarios|reports|cli|bench|test|fixtures)/' },
    },
    {
      name: 'protocol-tests-use-fixtures-only',
      severity: 'error',
      comment: "protocol/'s tests may use fixtures/ (keys), but not another layer: the contract is tested on its own.",
      from: { path: '^protocol/.*(\\.test\\.ts$|/__fixtures__/)' },
      to: { path: '^(edge|simulator|scenarios|reports|cli|bench)/' },
    },
    {
      name: 'protocol-does-no-io',
      severity: 'error',
      comment: 'protocol/ does no I/O (so verification is pure and testable); files, sockets and processes belong to edge/, simulator/ or cli/.',
      from: { path: '^protocol/', pathNot: TEST },
      to: { dependencyTypes: ['core'], path: IO_MODULES },
    },
    {
      name: 'ui-imports-only-the-report-renderer',
      severity: 'error',
      comment:
        "ui/ is the browser's code: it talks to the Edge over HTTP only and imports no layer but reports/, whose HTML renderer its conformance view shares with report.html (decision 0026).",
      from: { path: '^ui/(src|shims)/' },
      to: { path: '^(protocol|edge|simulator|scenarios|cli|bench|test|fixtures)/' },
    },
    {
      name: 'edge-imports-no-simulator-or-harness',
      severity: 'error',
      comment: 'edge/ is the node itself: it never imports simulator/, scenarios/, reports/, cli/ or bench/ (an Edge must not know who talks to it).',
      from: { path: '^edge/', pathNot: TEST },
      to: { path: '^(simulator|scenarios|reports|cli|bench)/' },
    },
    {
      name: 'edge-tests-use-the-harness-only',
      severity: 'error',
      comment:
        "edge/'s tests may run the conformance harness (scenarios/) against an Edge whose internals they break on purpose (the self-validation, edge/mutants.test.ts); they do not drive the simulators, reports, CLI or benchmarks directly.",
      from: { path: '^edge/.*(\\.test\\.ts$|/__fixtures__/)' },
      to: { path: '^(simulator|reports|cli|bench)/' },
    },
    {
      name: 'simulator-imports-no-edge-or-harness',
      severity: 'error',
      comment: 'simulator/ plays the platform around an Edge and talks to it only over HTTP: it never imports edge/, scenarios/, reports/, cli/ or bench/.',
      from: { path: '^simulator/' },
      to: { path: '^(edge|scenarios|reports|cli|bench)/' },
    },
    {
      name: 'scenarios-reach-edge-through-its-entry',
      severity: 'error',
      comment: 'scenarios/ reach an Edge over HTTP; only the embedded target starts one, through edge/index.ts, never through Edge internals.',
      from: { path: '^scenarios/' },
      to: { path: '^edge/', pathNot: '^edge/index\\.ts$' },
    },
    {
      name: 'cli-reaches-edge-through-its-entry',
      severity: 'error',
      comment: 'cli/ uses the Edge through its public entry, edge/index.ts; export what the command needs there instead of importing internals.',
      from: { path: '^cli/', pathNot: TEST },
      to: { path: '^edge/', pathNot: '^edge/index\\.ts$' },
    },
    {
      name: 'bench-uses-edge-entry-and-protocol',
      severity: 'error',
      comment:
        'bench/ measures the Edge from outside: it may use edge/index.ts, protocol/ and fixtures/, but not Edge internals, simulator/, scenarios/, cli/ or test/. One door into scenarios/: scenarios/targets/cluster-deployment.ts, which starts PostgreSQL, s3rver, N serve processes and nginx for the cluster target; the cluster benchmarks start the very same deployment rather than a copy that could drift from what the conformance run checked (decision 0027). The harness itself (targets, model, profiles) stays out of reach.',
      from: { path: '^bench/' },
      to: {
        path: '^(edge|simulator|scenarios|reports|cli|test)/',
        pathNot: '^(edge/index|scenarios/targets/cluster-deployment)\\.ts$',
      },
    },
    {
      name: 'fixtures-stay-test-data',
      severity: 'error',
      comment:
        'fixtures/ are fixed test keys and samples: tests, bench/ and cli/ (which hands them to the simulators) may load them; production code in protocol/, edge/, simulator/, scenarios/ or reports/ takes keys as arguments instead.',
      from: { path: '^(protocol|edge|simulator|scenarios|reports)/', pathNot: TEST },
      to: { path: '^fixtures/' },
    },
    {
      name: 'fixtures-import-nothing-of-ours',
      severity: 'error',
      comment: 'fixtures/ is data with a loader: it depends on no layer, so every layer may trust it.',
      from: { path: '^fixtures/' },
      to: { path: '^(protocol|edge|simulator|scenarios|reports|cli|bench|test)/' },
    },
    // --- test code stays test code ----------------------------------------------------------
    {
      name: 'production-imports-no-test-code',
      severity: 'error',
      comment: 'Production code never imports tests, test/ or a test kit (__fixtures__/): test support lives beside the tests.',
      from: { pathNot: TEST },
      to: { path: TEST },
    },
    {
      name: 'tests-reach-edge-through-its-entry',
      severity: 'error',
      comment:
        'Tests outside edge/ (test/, cli/, simulator/, ...) start and drive an Edge through edge/index.ts and HTTP, as a user would; unit tests of Edge internals live beside them in edge/.',
      from: { path: TEST, pathNot: '^edge/' },
      to: { path: '^edge/', pathNot: '^edge/index\\.ts$' },
    },
    {
      name: 'simulator-tests-use-no-real-edge',
      severity: 'error',
      comment: "simulator/'s tests use fake Edges (test kits in __fixtures__/); tests that need a real Edge live in test/.",
      from: { path: '^simulator/' },
      to: { path: '^(edge/|test/)' },
    },
    // --- inside the Edge ------------------------------------------------------------------------
    {
      name: 'edge-http-framework-stays-in-http',
      severity: 'error',
      comment:
        "Fastify belongs to edge/http, edge/edge.ts (which wires it) and edge/context.ts (the routes' context: Fastify types its instance after the logger it is given); the Edge's services log through edge/log.ts and know no web framework.",
      from: { path: '^edge/', pathNot: '^edge/(http/|edge\\.ts$|context\\.ts$)' },
      to: { path: '^node_modules/(fastify|@fastify)/' },
    },
    {
      name: 'edge-services-import-no-routes',
      severity: 'error',
      comment: 'edge/http is the adapter on top: storage, trust, repositories and bundles never import it.',
      from: { path: '^edge/(storage|trust|repos|bundles)/' },
      to: { path: '^edge/http/' },
    },
    // --- no loops ------------------------------------------------------------------------------
    {
      name: 'no-circular-modules',
      severity: 'error',
      comment: 'A module cycle means two files that cannot be understood (or tested) one without the other.',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|reports/out|bench/out|ui/dist)/' },
    // Type-only imports couple modules too.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
