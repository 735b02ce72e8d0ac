import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import * as parsers from '../../src/cli/options.js';
import { PHASE_NAMES } from '../../src/io/layout.js';
import { parseS3Url } from '../../src/storage/s3.js';
import { ROOT } from '../helpers.js';

// No container engine runs on the development machines: these tests check docker-compose.yml
// against what Compose, MinIO and winnow need from it, without running it.

interface Service {
  image?: string;
  build?: string | { context: string };
  restart?: string;
  entrypoint?: string | string[];
  command?: string | string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
  ports?: string[];
  healthcheck?: { test: string | string[] };
}

// Compose reads YAML merge keys (`<<: *winnow`); the yaml package reads them only when asked.
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
const service = (name: string): Service => {
  const s = services[name];
  if (!s) throw new Error(`docker-compose.yml has no service ${name}`);
  return s;
};
const WINNOW = ['plan', ...PHASE_NAMES];

interface CliCommand {
  positionals: number;
  required: string[];
  /** Long option -> the name of its value's parser in src/cli/options.ts ('' for none), or null for a flag. */
  options: Map<string, string | null>;
}

/**
 * A command's arguments and options as src/cli/main.ts declares them. Importing main.ts would run
 * winnow on this process's argv, and spawning `winnow --help` costs a process: its source is read.
 */
function cliCommand(name: string): CliCommand {
  const source = readFileSync(join(ROOT, 'src', 'cli', 'main.ts'), 'utf8');
  const start = source.indexOf(`.command('${name}')`);
  expect(start, `src/cli/main.ts declares no command ${name}`).toBeGreaterThan(0);
  const block = source.slice(start, source.indexOf('.action(', start));
  const str = `'(?:[^'\\\\]|\\\\.)*'|"(?:[^"\\\\]|\\\\.)*"|\`(?:[^\`\\\\]|\\\\.)*\``;
  const option = new RegExp(`\\.(option|requiredOption)\\(\\s*'(?:-\\w, )?(--[a-z][a-z-]*)( <[^>]+>)?'\\s*,\\s*(?:${str})\\s*(?:,\\s*([A-Za-z]\\w*))?`, 'g');
  const options = new Map<string, string | null>();
  const required: string[] = [];
  for (const m of block.matchAll(option)) {
    options.set(m[2]!, m[3] ? (m[4] ?? '') : null);
    if (m[1] === 'requiredOption') required.push(m[2]!);
  }
  return { positionals: [...block.matchAll(/\.argument\('</g)].length, required, options };
}

/** Reads a command line as commander would for `cli`, checking every value with the CLI's own parser. */
function readCommandLine(args: string[], cli: CliCommand): { positionals: string[]; values: Map<string, string> } {
  const positionals: string[] = [];
  const values = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    expect(cli.options.has(arg), `unknown option ${arg}`).toBe(true);
    const parser = cli.options.get(arg);
    if (parser === null) continue;
    const value = args[++i];
    expect(value, `${arg} has no value`).toBeDefined();
    if (parser) {
      const parse = (parsers as Record<string, unknown>)[parser];
      expect(typeof parse, `src/cli/options.ts has no parser ${parser}`).toBe('function');
      expect(() => (parse as (v: string) => unknown)(value!), `${arg} ${value}`).not.toThrow();
    }
    values.set(arg, value!);
  }
  expect(positionals).toHaveLength(cli.positionals);
  for (const r of cli.required) expect(values.has(r), `${r} is required`).toBe(true);
  return { positionals, values };
}

function argv(s: Service): string[] {
  // A list, not a string: Compose splits a string by shell rules, which a test would have to copy.
  expect(Array.isArray(s.command)).toBe(true);
  const args = s.command as unknown[];
  // A YAML number (0) is not a string: keep the quotes around --index and --count values.
  for (const a of args) expect(typeof a).toBe('string');
  return args as string[];
}

const plan = readCommandLine(argv(service('plan')).slice(1), cliCommand('plan'));
const runAddress = plan.values.get('--output')!;
const inputAddress = plan.values.get('--input')!;

describe('docker-compose.yml', () => {
  it('runs MinIO, the setup, the plan and one service per phase, and nothing else', () => {
    expect(Object.keys(services)).toEqual(['minio', 'setup', ...WINNOW]);
  });

  it('starts each service once the one before it succeeded: setup once MinIO is healthy, then plan, then the phases in run order', () => {
    expect(service('minio').healthcheck?.test).toBeDefined();
    expect(service('setup').depends_on).toEqual({ minio: { condition: 'service_healthy' } });
    const chain = ['setup', ...WINNOW];
    for (let i = 1; i < chain.length; i++) {
      // One dependency, on the step before: a phase reads the markers of every phase before it.
      expect(service(chain[i]!).depends_on, chain[i]).toEqual({ [chain[i - 1]!]: { condition: 'service_completed_successfully' } });
    }
  });

  it("checks MinIO's health with a tool its image has", () => {
    // The minio/minio image ships mc and no curl or wget.
    const test = service('minio').healthcheck!.test;
    expect(Array.isArray(test) ? test.slice(0, 2) : test.split(/\s+/).slice(0, 1)).toEqual(Array.isArray(test) ? ['CMD', 'mc'] : ['mc']);
  });

  it('plans the dry-run pipeline from the uploaded shards into a run on S3, with a command line winnow accepts', () => {
    expect(argv(service('plan'))[0]).toBe('plan');
    expect(existsSync(join(ROOT, plan.positionals[0]!)), plan.positionals[0]).toBe(true);
    expect(plan.positionals[0]).toBe('pipelines/dry-run.yaml');
    // The image's WORKDIR holds pipelines/: the relative path is the same inside it.
    expect(readFileSync(join(ROOT, 'Dockerfile'), 'utf8')).toMatch(/^WORKDIR \/opt\/winnow$[\s\S]*^COPY pipelines \.\/pipelines$/m);
    expect(parseS3Url(inputAddress)).toEqual({ bucket: 'winnow', prefix: 'shards/' });
    expect(parseS3Url(runAddress)).toEqual({ bucket: 'winnow', prefix: 'runs/dry-run/' });
  });

  it('runs every phase whole, in its own container, on the planned run, with a command line winnow accepts', () => {
    const task = cliCommand('task');
    for (const phase of PHASE_NAMES) {
      const args = argv(service(phase));
      expect(args[0]).toBe('task');
      const { positionals, values } = readCommandLine(args.slice(1), task);
      expect(positionals, phase).toEqual([phase]);
      expect(values.get('--run'), phase).toBe(runAddress);
      // Index 0 of 1 slice: the whole phase, not the engine's array variables.
      expect([values.get('--index'), values.get('--count')], phase).toEqual(['0', '1']);
    }
  });

  it("builds every winnow service from the repository's Dockerfile into one image, and restarts no batch step", () => {
    expect(existsSync(join(ROOT, 'Dockerfile'))).toBe(true);
    const images = new Set<string | undefined>();
    for (const name of WINNOW) {
      const s = service(name);
      expect(s.build, name).toBe('.');
      images.add(s.image);
      // The image's entry point is winnow: each command is winnow's arguments.
      expect(s.entrypoint, name).toBeUndefined();
    }
    expect(images.size).toBe(1);
    expect([...images][0]).toBeTruthy();
    for (const name of ['setup', ...WINNOW]) expect(service(name).restart, name).toBe('no');
  });

  it("points winnow at MinIO's S3 port with MinIO's credentials", () => {
    const minio = service('minio');
    expect(minio.image).toMatch(/^minio\/minio(:|$)/);
    // Without --address MinIO serves S3 on :9000.
    expect(minio.command).toMatch(/^server \/data\b/);
    expect(minio.command).not.toContain('--address');
    expect(minio.ports).toContain('9000:9000');
    for (const name of WINNOW) {
      const env = service(name).environment!;
      const endpoint = new URL(env.AWS_ENDPOINT_URL_S3!);
      expect([endpoint.protocol, endpoint.hostname, endpoint.port], name).toEqual(['http:', 'minio', '9000']);
      expect(env.AWS_ACCESS_KEY_ID, name).toBe(minio.environment!.MINIO_ROOT_USER);
      expect(env.AWS_SECRET_ACCESS_KEY, name).toBe(minio.environment!.MINIO_ROOT_PASSWORD);
      expect(env.AWS_REGION, name).toBeTruthy();
    }
  });

  it('uploads the bundled shards, mounted read-only, to the address plan reads', () => {
    const setup = service('setup');
    expect(setup.image).toMatch(/^minio\/mc(:|$)/);
    expect(setup.environment).toEqual(service('minio').environment);
    const mounts = setup.volumes!.map((v) => v.split(':'));
    expect(mounts).toHaveLength(1);
    const [source, target, mode] = mounts[0]!;
    expect(mode).toBe('ro');
    expect(readdirSync(join(ROOT, source!)).filter((f) => f.endsWith('.parquet')).length).toBeGreaterThan(0);

    expect(setup.entrypoint).toEqual(['/bin/sh', '-c']);
    const script = (setup.command as string[]).join(' ');
    // `$$`: Compose leaves `$MINIO_ROOT_USER` to the container's shell.
    const alias = /mc alias set (\S+) http:\/\/minio:9000 "\$\$MINIO_ROOT_USER" "\$\$MINIO_ROOT_PASSWORD"/.exec(script)?.[1];
    expect(alias, script).toBeDefined();
    const { bucket, prefix } = parseS3Url(inputAddress);
    expect(script).toContain(`mc mb --ignore-existing ${alias}/${bucket}`);
    expect(script).toContain(`mc cp ${target}/*.parquet ${alias}/${bucket}/${prefix}`);
    // A failed step must fail the service, or plan would start on a missing bucket.
    expect(script).toMatch(/^set -e;/);
  });
});
