import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { stringify } from 'yaml'

const NODE_MODULES = fileURLToPath(new URL('../node_modules', import.meta.url))

/** A test skill: its manifest (`id` and `version` are filled in) and its handler module's source. */
export interface TestSkill {
  manifest: Record<string, unknown>
  handler: string
}

/**
 * A temporary folder of skills, one `skill.yaml` and `index.ts` each, whose handlers resolve this
 * package's dependencies (zod). `remove()` deletes it.
 */
export async function writeTestSkills(
  label: string,
  skills: Record<string, TestSkill>,
): Promise<{ root: string; remove: () => Promise<void> }> {
  const base = await mkdtemp(join(tmpdir(), `skillos-${label}-`))
  await symlink(NODE_MODULES, join(base, 'node_modules'), 'dir')
  const root = join(base, 'skills')
  for (const [id, { manifest, handler }] of Object.entries(skills)) {
    const dir = join(root, id)
    await mkdir(dir, { recursive: true })
    await writeFile(join(dir, 'skill.yaml'), stringify({ id, version: '1.0.0', ...manifest }))
    await writeFile(join(dir, 'index.ts'), handler)
  }
  return { root, remove: () => rm(base, { recursive: true, force: true }) }
}
