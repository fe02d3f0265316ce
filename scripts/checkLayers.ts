/**
 * Fails when a package imports one above it in the layer table (or one its row forbids), when
 * two packages of one layer import each other, or when code reaches into another package's
 * `src/` instead of going through its `exports`.
 *
 *   node scripts/checkLayers.ts [ROOT]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type PackageRule, packageLayers } from './layers.ts';

export interface LayerViolation {
  file: string;
  line: number;
  message: string;
}

const importPattern =
  /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;
const sourceExtensions = ['.ts', '.tsx', '.mts', '.js', '.mjs'];

function listSourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist' || entry.startsWith('.')) continue;
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) files.push(...listSourceFiles(full));
    else if (sourceExtensions.some((ext) => entry.endsWith(ext))) files.push(full);
  }
  return files;
}

/** Package folders under `packages/` and `apps/`, keyed by their short name. */
function findPackages(root: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const group of ['packages', 'apps']) {
    const dir = join(root, group);
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (statSync(join(dir, entry)).isDirectory()) found.set(entry, join(dir, entry));
    }
  }
  return found;
}

export function checkLayers(
  root: string,
  layers: Readonly<Record<string, PackageRule>> = packageLayers,
): LayerViolation[] {
  const violations: LayerViolation[] = [];
  const packages = findPackages(root);
  const edges = new Map<string, Set<string>>();
  for (const [name, dir] of packages) {
    const rule = layers[name];
    if (!rule) {
      violations.push({
        file: relative(root, dir),
        line: 0,
        message: `package "${name}" is not in the layer table`,
      });
      continue;
    }
    for (const file of listSourceFiles(dir)) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(importPattern)) {
        const specifier = match[1] ?? match[2] ?? match[3];
        if (!specifier) continue;
        const line = text.slice(0, match.index).split('\n').length;
        const where = { file: relative(root, file), line };
        if (specifier.startsWith('.')) {
          const target = resolve(file, '..', specifier);
          for (const [otherName, otherDir] of packages) {
            if (otherName !== name && (target === otherDir || target.startsWith(otherDir + sep))) {
              violations.push({
                ...where,
                message: `relative import "${specifier}" reaches into package "${otherName}"; import "@shardpay/${otherName}"`,
              });
            }
          }
          continue;
        }
        const scoped = /^@shardpay\/([^/]+)(\/.*)?$/.exec(specifier);
        if (!scoped) continue;
        const target = scoped[1]!;
        const subpath = scoped[2];
        if (target === name) continue;
        if (subpath?.startsWith('/src')) {
          violations.push({
            ...where,
            message: `"${specifier}" reaches into another package's src/; import it through its exports`,
          });
        }
        const targetRule = layers[target];
        if (!targetRule) {
          violations.push({
            ...where,
            message: `"${specifier}" names a package that is not in the layer table`,
          });
          continue;
        }
        if (targetRule.layer > rule.layer) {
          violations.push({
            ...where,
            message: `"${name}" (layer ${rule.layer}) imports "${target}" (layer ${targetRule.layer}), a higher layer`,
          });
        }
        if (rule.forbidden?.includes(target)) {
          violations.push({ ...where, message: `"${name}" must not import "${target}"` });
        }
        if (!edges.has(name)) edges.set(name, new Set());
        edges.get(name)!.add(target);
      }
    }
  }
  for (const [from, targets] of edges) {
    for (const to of targets) {
      if (from < to && edges.get(to)?.has(from)) {
        violations.push({
          file: `packages/${from}`,
          line: 0,
          message: `"${from}" and "${to}" import each other`,
        });
      }
    }
  }
  return violations;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? join(fileURLToPath(import.meta.url), '..', '..'));
  const violations = checkLayers(root);
  for (const v of violations) console.error(`${v.file}:${v.line}: ${v.message}`);
  if (violations.length > 0) {
    console.error(`layer check: ${violations.length} violation(s)`);
    process.exit(1);
  }
  console.log('layer check: ok');
}
