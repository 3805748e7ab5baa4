// Helpers for the packaging tests: read electron-builder.yml the way electron-builder does
// (js-yaml), validate it against electron-builder's own JSON schema offline, and ask
// electron-builder's own file matcher which files a pattern list copies.
import { readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import Ajv, { type AnySchema, type ErrorObject } from 'ajv'
import Ajv2019 from 'ajv/dist/2019'
import Ajv2020 from 'ajv/dist/2020'
import { load } from 'js-yaml'

export const ROOT = resolve(__dirname, '../..')
export const BUILDER_CONFIG_PATH = join(ROOT, 'electron-builder.yml')

const require = createRequire(import.meta.url)

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
export type JsonObject = { [key: string]: Json }

export function loadYamlFile(path: string): JsonObject {
  const doc = load(readFileSync(path, 'utf8')) as unknown
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new Error(`${path} is not a YAML mapping`)
  }
  return doc as JsonObject
}

/** Walk into a parsed document by keys; undefined when any step is missing. */
export function at(doc: Json | undefined, ...keys: (string | number)[]): Json | undefined {
  let node: Json | undefined = doc
  for (const key of keys) {
    if (node === null || typeof node !== 'object') return undefined
    node = Array.isArray(node) ? node[key as number] : node[key as string]
  }
  return node
}

/** The JSON schema electron-builder ships and validates its configuration with. */
export function builderSchema(): { $schema?: string } & Record<string, unknown> {
  return JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'))
}

/**
 * A validator for the schema's declared draft. Stricter than electron-builder itself, which
 * validates with `coerceTypes: true` (so `"false"` would pass as a boolean there).
 */
export function schemaValidator(
  schema: { $schema?: string } & Record<string, unknown>
): (data: unknown) => ErrorObject[] {
  const options = { allErrors: true, allowUnionTypes: true }
  const draft = schema.$schema ?? ''
  const ajv = draft.includes('draft-07')
    ? new Ajv(options)
    : draft.includes('2019-09')
      ? new Ajv2019(options)
      : draft.includes('2020-12')
        ? new Ajv2020(options)
        : null
  if (ajv === null) throw new Error(`unsupported JSON schema draft: ${draft || '(none)'}`)
  // electron-builder's schema marks hook options that may be functions with `typeof`
  // (the ajv-keywords keyword); a YAML file can only hold strings there.
  ajv.addKeyword({
    keyword: 'typeof',
    schemaType: 'string',
    validate: (type: string, data: unknown) => typeof data === type
  })
  const validate = ajv.compile(schema as AnySchema)
  return (data) => (validate(data) ? [] : [...(validate.errors ?? [])])
}

interface DebugLogger {
  isEnabled: boolean
  add(key: string, value: unknown): void
}

/** electron-builder's own check (deprecations + schema), as `electron-builder` runs it. */
export async function electronBuilderValidate(config: JsonObject): Promise<void> {
  const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
    validateConfiguration(config: unknown, debugLogger: DebugLogger): Promise<void>
  }
  await validateConfiguration(structuredClone(config), { isEnabled: false, add() {} })
}

interface FileMatcherLike {
  from: string
  to: string
  createFilter(): (file: string, stat: ReturnType<typeof statSync>) => boolean
}

export interface CopyRule {
  /** Source folder (absolute). */
  from: string
  /** Destination folder (absolute, under `destination`). */
  to: string
  /** Whether electron-builder copies this file (absolute path under `from`). */
  copies(file: string): boolean
}

/**
 * How electron-builder reads a file-set option (`files`, `extraResources`, `asarUnpack`):
 * its own matcher, relative to the project folder, copying into `destination`.
 */
export function copyRules(
  config: JsonObject,
  option: 'files' | 'extraResources' | 'asarUnpack',
  destination: string
): CopyRule[] {
  const { getFileMatchers } = require('app-builder-lib/out/fileMatcher') as {
    getFileMatchers(
      config: unknown,
      name: string,
      defaultDestination: string,
      options: {
        macroExpander: (pattern: string) => string
        customBuildOptions: unknown
        globalOutDir: string
        defaultSrc: string
      }
    ): FileMatcherLike[] | null
  }
  const matchers =
    getFileMatchers(config, option, destination, {
      macroExpander: (pattern) => pattern,
      customBuildOptions: {},
      globalOutDir: join(ROOT, 'dist'),
      defaultSrc: ROOT
    }) ?? []
  return matchers.map((matcher) => {
    const filter = matcher.createFilter()
    return {
      from: matcher.from,
      to: matcher.to,
      copies: (file) => filter(file, statSync(file))
    }
  })
}
