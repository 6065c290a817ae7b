import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { checkAppFolder } from '../check/app-folder.js';
import { checkTemplates } from '../check/template-check.js';
import { errorMessage } from '../errors.js';

/**
 * `atoll check`: the app's templates (lib/check/template-check.ts), then a
 * type-check with the app's own TypeScript and tsconfig.json. Prints each
 * problem with file:line and the fix; exit code 1 when there is any.
 */
export async function checkApp(rootFlag: string | undefined): Promise<void> {
  const root = resolve(rootFlag ?? process.cwd());
  let problems = 0;
  try {
    checkAppFolder(root);
  } catch (error) {
    console.error(errorMessage(error));
    process.exitCode = 1;
    return;
  }
  for (const problem of await checkTemplates(root)) {
    console.error(problem.message);
    problems++;
  }
  const typeErrors = typeCheck(root);
  problems += typeErrors;
  console.log(problems === 0 ? 'atoll check: no problems' : `atoll check: ${problems} problem${problems === 1 ? '' : 's'}`);
  if (problems > 0) process.exitCode = 1;
}

/** Runs the app's `tsc --noEmit`; the number of errors it reported (1 when it could not run). */
function typeCheck(root: string): number {
  if (!existsSync(join(root, 'tsconfig.json'))) {
    console.error(`tsconfig.json: not found in ${root}; add one with { "extends": "atoll-islands/tsconfig" } to type-check the app`);
    return 1;
  }
  const tsc = typescriptCompiler(root);
  if (tsc === undefined) {
    console.error(`${root}: typescript is not installed for this app; run npm install -D typescript`);
    return 1;
  }
  const result = spawnSync(process.execPath, [tsc, '--noEmit', '-p', root, '--pretty', 'false'], { cwd: root, encoding: 'utf8' });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
  if (output !== '') console.error(output);
  if (result.status === 0) return 0;
  return Math.max(1, (output.match(/error TS\d+/g) ?? []).length);
}

function typescriptCompiler(root: string): string | undefined {
  try {
    const manifestPath = createRequire(join(root, 'package.json')).resolve('typescript/package.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin?: Record<string, string> };
    const bin = manifest.bin?.tsc;
    return bin === undefined ? undefined : join(dirname(manifestPath), bin);
  } catch {
    return undefined;
  }
}
