// ESLint rule `skillos/layer-direction`: imports go only downward in the layer table, only through a
// package's public name, never into another package's `src/`.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve, sep } from 'node:path'
import { LAYERS, TOOLING, TOP_LAYER } from './layers.js'

const packageCache = new Map()

/** The nearest package.json above `file`: `{ name, dir }`, or null outside any package. */
function owningPackage(file) {
  let dir = dirname(resolve(file))
  const visited = []
  for (;;) {
    if (packageCache.has(dir)) {
      const found = packageCache.get(dir)
      for (const v of visited) packageCache.set(v, found)
      return found
    }
    visited.push(dir)
    const manifest = join(dir, 'package.json')
    if (existsSync(manifest)) {
      const { name } = JSON.parse(readFileSync(manifest, 'utf8'))
      const found = { name: name ?? '', dir }
      for (const v of visited) packageCache.set(v, found)
      return found
    }
    const parent = dirname(dir)
    if (parent === dir) {
      for (const v of visited) packageCache.set(v, null)
      return null
    }
    dir = parent
  }
}

function layerOf(pkg) {
  if (pkg.name in LAYERS) return LAYERS[pkg.name]
  const parts = pkg.dir.split(sep)
  if (parts.includes('apps') || parts.includes('skills')) return TOP_LAYER
  return undefined
}

/** `@skillos/store/testing` → `@skillos/store`. */
function packageNameOf(source) {
  const [scope, name] = source.split('/')
  return `${scope}/${name}`
}

/** @type {import('eslint').Rule.RuleModule} */
export const layerDirection = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports go only downward in the SkillOS layer table, by public name.' },
    schema: [],
    messages: {
      upward:
        '{{from}} (layer {{fromLayer}}) may not import {{to}} (layer {{toLayer}}): a package imports only from lower layers (ARCHITECTURE.md §2).',
      self: '{{from}} imports itself by name: use a relative import inside a package.',
      unknown:
        '{{to}} is not in the layer table (tooling/eslint/src/layers.js): apps and skills are not importable, and a new package needs a layer first.',
      deep: 'Import {{to}} through its public name and exports map, never through its src/ folder.',
      outside:
        'This relative import leaves the package ({{from}}): import the other package by its public name.',
    },
  },
  create(context) {
    const filename = context.filename
    const owner = owningPackage(filename)
    if (!owner) return {}
    const fromLayer = layerOf(owner)

    function check(node, source) {
      if (typeof source !== 'string') return
      if (source.startsWith('.')) {
        const target = resolve(dirname(filename), source)
        if (target !== owner.dir && !target.startsWith(owner.dir + sep)) {
          context.report({ node, messageId: 'outside', data: { from: owner.name } })
        }
        return
      }
      if (!source.startsWith('@skillos/')) return
      const to = packageNameOf(source)
      if (/(^|\/)src(\/|$)/.test(source.slice(to.length))) {
        context.report({ node, messageId: 'deep', data: { to } })
        return
      }
      if (TOOLING.includes(to)) return
      if (to === owner.name) {
        context.report({ node, messageId: 'self', data: { from: owner.name } })
        return
      }
      if (!(to in LAYERS)) {
        context.report({ node, messageId: 'unknown', data: { to } })
        return
      }
      const toLayer = LAYERS[to]
      if (fromLayer !== undefined && toLayer >= fromLayer) {
        context.report({
          node,
          messageId: 'upward',
          data: { from: owner.name, fromLayer: String(fromLayer), to, toLayer: String(toLayer) },
        })
      }
    }

    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) =>
        node.source.type === 'Literal' && check(node.source, node.source.value),
      TSImportType: (node) => {
        const literal = node.argument?.literal ?? node.argument
        if (literal?.type === 'Literal') check(node, literal.value)
      },
    }
  },
}

export const plugin = {
  meta: { name: 'skillos' },
  rules: { 'layer-direction': layerDirection },
}
