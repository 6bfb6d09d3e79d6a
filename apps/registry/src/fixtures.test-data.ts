import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import {
  computeIntegrity,
  packSkill,
  type PackedSkill,
  type SigningKeyInput,
} from '@skillos/registry'

export interface SkillSpec {
  id: string
  version: string
  description?: string
  tags?: string[]
  examples?: string[]
  author?: string
  dependencies?: Record<string, string>
  /** Extra files (relative path → content). */
  files?: Record<string, string>
}

function yamlList(items: readonly string[]): string {
  return items.length === 0
    ? ' []'
    : `\n${items.map((item) => `  - ${JSON.stringify(item)}`).join('\n')}`
}

/** Write a skill folder and pack it with the real packer. */
export async function packTestSkill(
  spec: SkillSpec,
  signingKey?: SigningKeyInput,
): Promise<PackedSkill> {
  const dir = await mkdtemp(join(tmpdir(), 'skillos-registry-skill-'))
  try {
    const name = spec.id.split('/')[1]!
    const manifest = [
      `id: ${spec.id}`,
      `version: ${spec.version}`,
      `name: ${JSON.stringify(name.replaceAll('-', ' '))}`,
      `description: ${JSON.stringify(spec.description ?? `The ${name} skill does ${name} things for tests`)}`,
      `tags:${yamlList(spec.tags ?? [])}`,
      `examples:${yamlList(spec.examples ?? [])}`,
      ...(spec.author ? [`author: ${JSON.stringify(spec.author)}`] : []),
      ...(spec.dependencies
        ? [
            'dependencies:',
            ...Object.entries(spec.dependencies).map(
              ([dep, range]) => `  ${dep}: ${JSON.stringify(range)}`,
            ),
          ]
        : []),
      '',
    ].join('\n')
    await writeFile(join(dir, 'skill.yaml'), manifest)
    await writeFile(
      join(dir, 'index.ts'),
      'export default { async handler() { return { ok: true } } }\n',
    )
    for (const [path, content] of Object.entries(spec.files ?? {})) {
      await mkdir(join(dir, path, '..'), { recursive: true })
      await writeFile(join(dir, path), content)
    }
    return await packSkill(dir, signingKey ? { signingKey } : {})
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

// --- Crafted archives: a raw ustar writer, so a test controls every header. ---

interface RawEntry {
  name: string
  type?: string
  linkname?: string
  content?: string
}

function octal(value: number, digits: number): string {
  return `${value.toString(8).padStart(digits, '0')}\0`
}

function header(entry: RawEntry, size: number): Buffer {
  const block = Buffer.alloc(512)
  block.write(entry.name, 0, 100, 'utf8')
  block.write(octal(0o644, 7), 100)
  block.write(octal(0, 7), 108)
  block.write(octal(0, 7), 116)
  block.write(octal(size, 11), 124)
  block.write(octal(0, 11), 136)
  block.write(' '.repeat(8), 148)
  block.write(entry.type ?? '0', 156)
  block.write(entry.linkname ?? '', 157, 100, 'utf8')
  block.write('ustar\u000000', 257)
  let sum = 0
  for (const byte of block) sum += byte
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148)
  return block
}

/** A gzipped tarball of exactly these entries, and its integrity. */
export function craftTarball(entries: RawEntry[]): { tarball: Uint8Array; integrity: string } {
  const parts: Buffer[] = []
  for (const entry of entries) {
    const content = Buffer.from(entry.content ?? '')
    parts.push(
      header(entry, content.length),
      content,
      Buffer.alloc((512 - (content.length % 512)) % 512),
    )
  }
  parts.push(Buffer.alloc(1024))
  const tarball = gzipSync(Buffer.concat(parts))
  return { tarball, integrity: computeIntegrity(tarball) }
}

export function manifestEntry(id: string, version: string): RawEntry {
  return {
    name: 'skill/skill.yaml',
    content: `id: ${id}\nversion: ${version}\nname: Crafted\ndescription: A crafted archive\n`,
  }
}
