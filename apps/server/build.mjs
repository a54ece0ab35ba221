// Bundles the server and the workspace packages it uses into dist/index.js, and its write worker thread into
// dist/write-worker.js. Third-party packages stay external and are loaded from node_modules at run time, so each one
// must be a dependency of this package: the build fails otherwise, rather than the server failing at start.
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(dirname(here));
const pkg = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));
const runtimeDeps = new Set(Object.keys(pkg.dependencies ?? {}));
const missing = new Set();

const externals = {
  name: 'externals',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@tradepool/')) {
        return undefined;
      }
      if (args.path.startsWith('node:') || builtinModules.includes(args.path)) {
        return { path: args.path, external: true };
      }
      const name = args.path.startsWith('@')
        ? args.path.split('/').slice(0, 2).join('/')
        : args.path.split('/')[0];
      if (!runtimeDeps.has(name)) {
        missing.add(`${name} (imported by ${args.importer.replace(`${root}/`, '')})`);
      }
      return { path: args.path, external: true };
    });
  },
};

rmSync(join(here, 'dist'), { recursive: true, force: true });
await build({
  // The write worker (a worker thread the server starts, see src/write-worker-client.ts) is a bundle of its own.
  entryPoints: { index: join(here, 'src/index.ts'), 'write-worker': join(here, 'src/write-worker.ts') },
  outdir: join(here, 'dist'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  plugins: [externals],
  logLevel: 'warning',
});
if (missing.size > 0) {
  console.error(
    `apps/server build: add these to apps/server/package.json dependencies:\n  ${[...missing].join('\n  ')}`,
  );
  process.exit(1);
}
cpSync(join(here, '../../packages/db/migrations'), join(here, 'dist/migrations'), { recursive: true });
console.log('apps/server: dist/index.js and dist/write-worker.js built');
