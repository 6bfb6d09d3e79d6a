import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { stringify } from 'yaml'

const PACKAGE_NODE_MODULES = fileURLToPath(new URL('../node_modules', import.meta.url))

/** A temporary skills root whose handlers can import this package's dependencies (zod). */
export async function createSkillRoot(): Promise<{
  root: string
  write(path: string, content: string): Promise<string>
  cleanup(): Promise<void>
}> {
  const base = await mkdtemp(join(tmpdir(), 'skillos-loader-'))
  await symlink(PACKAGE_NODE_MODULES, join(base, 'node_modules'), 'dir')
  const root = join(base, 'skills')
  await mkdir(root)
  return {
    root,
    async write(path, content) {
      const file = join(root, path)
      await mkdir(dirname(file), { recursive: true })
      await writeFile(file, content)
      return file
    },
    cleanup: () => rm(base, { recursive: true, force: true }),
  }
}

/** skill.yaml text for `id@version`, with overrides. */
export function manifestYaml(
  id: string,
  version = '1.0.0',
  extra: Record<string, unknown> = {},
): string {
  const name = id.split('/')[1] ?? id
  return stringify({
    id,
    version,
    name: name.replace(/-/g, ' '),
    description: `Test skill ${id}`,
    input: {
      type: 'object',
      properties: { amount: { type: 'number' } },
      required: ['amount'],
    },
    ...extra,
  })
}

/** A handler returning `{ result: amount * factor, tag }`. */
export function handlerSource(factor: number, tag = 'v1'): string {
  return `import { z } from 'zod'
export default {
  input: z.object({ amount: z.number() }),
  handler: ({ amount }: { amount: number }) => ({ result: amount * ${factor}, tag: '${tag}' }),
}
`
}
