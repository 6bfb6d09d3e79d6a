import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { SkillOSError } from '@skillos/contracts'

export interface DataDirLock {
  release(): void
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * PGlite has no locking of its own: two processes on one data directory corrupt it. This takes an
 * exclusive lock file holding our pid, beside the folder (`<dataDir>.lock`: PGlite may replace the
 * folder's contents when it loads a snapshot); a lock left by a dead process is taken over.
 */
export function acquireDataDirLock(dataDir: string): DataDirLock {
  const path = `${dataDir}.lock`
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(path, 'wx')
      writeSync(fd, String(process.pid))
      closeSync(fd)
      let released = false
      const release = () => {
        if (released) return
        released = true
        process.off('exit', release)
        rmSync(path, { force: true })
      }
      process.on('exit', release)
      return { release }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const owner = Number.parseInt(readFileSync(path, 'utf8'), 10)
      if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) {
        throw new SkillOSError({
          code: 'CONFLICT',
          message: `The embedded database at ${dataDir} is in use by process ${owner}; stop it or use another pglite:// path`,
          details: { dataDir, pid: owner },
        })
      }
      if (owner === process.pid) {
        throw new SkillOSError({
          code: 'CONFLICT',
          message: `The embedded database at ${dataDir} is already open in this process; share the one Database handle`,
          details: { dataDir, pid: owner },
        })
      }
      rmSync(path, { force: true })
    }
  }
  throw new SkillOSError({
    code: 'CONFLICT',
    message: `Could not lock the embedded database at ${dataDir}`,
    details: { dataDir },
  })
}
