import { randomBytes } from 'node:crypto'
import { describe, it } from 'vitest'
import { describeBlobStore } from './blob-store.contract.js'
import { createS3BlobStore } from './s3-blob-store.js'

// No S3-compatible server can be installed on the project's CI machines. This suite runs when
// SKILLOS_TEST_S3_URL points at one (endpoint with the bucket as path, e.g.
// http://127.0.0.1:9000/skills for MinIO) with SKILLOS_TEST_S3_ACCESS_KEY_ID /
// SKILLOS_TEST_S3_SECRET_ACCESS_KEY (and optionally SKILLOS_TEST_S3_REGION); it is skipped otherwise,
// also under CI.
const url = process.env.SKILLOS_TEST_S3_URL

if (url) {
  describeBlobStore('S3-compatible', async () => {
    const prefix = `skillos-test-${randomBytes(6).toString('hex')}/`
    const store = createS3BlobStore({
      url,
      region: process.env.SKILLOS_TEST_S3_REGION ?? 'us-east-1',
      accessKeyId: process.env.SKILLOS_TEST_S3_ACCESS_KEY_ID ?? '',
      secretAccessKey: process.env.SKILLOS_TEST_S3_SECRET_ACCESS_KEY ?? '',
      prefix,
    })
    return {
      store,
      async cleanup() {
        for await (const entry of store.list()) await store.delete(entry.key)
      },
    }
  })
} else {
  describe.skip('blob store: S3-compatible (SKILLOS_TEST_S3_URL unset)', () => {
    it('runs the blob store suite', () => undefined)
  })
}
