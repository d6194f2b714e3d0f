// The third-party packages inside the bundle and their licence texts (shipped beside it).
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { projectRoot } from './project.mjs';

/** The third-party packages inside the bundle, with their licence texts (shipped beside it). */
export function bundledPackages(...metafiles) {
  const dirs = new Set();
  for (const p of metafiles.flatMap((m) => Object.keys(m.inputs))) {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(p);
    if (m) dirs.add(m[1]);
  }
  return [...dirs].sort().map((dir) => {
    const abs = resolve(projectRoot, dir);
    const pkg = JSON.parse(readFileSync(join(abs, 'package.json'), 'utf8'));
    const licenceFile = readdirSync(abs).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
    const license = typeof pkg.license === 'string' ? pkg.license : (pkg.license?.type ?? 'UNKNOWN');
    return { name: pkg.name, version: pkg.version, license, text: licenceFile ? readFileSync(join(abs, licenceFile), 'utf8') : null };
  });
}

export function licencesText(packages) {
  const parts = packages.map(
    (p) => `${'='.repeat(76)}\n${p.name} ${p.version} (${p.license})\n${'='.repeat(76)}\n${p.text ?? `(the package ships no licence file; its package.json says ${p.license})\n`}`,
  );
  return `Third-party software bundled in ttyconf.cjs\n\n${parts.join('\n')}`;
}
