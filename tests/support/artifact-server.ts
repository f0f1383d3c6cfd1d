/**
 * A stand-in for GitHub Actions' artifact service as @actions/artifact 6 speaks to it, written
 * from the SDK's source (node_modules/@actions/artifact/lib/internal): Twirp JSON calls
 * `POST /twirp/github.actions.results.api.v1.ArtifactService/{CreateArtifact|FinalizeArtifact}`
 * with `Authorization: Bearer {ACTIONS_RUNTIME_TOKEN}` and proto field names (snake_case), and the
 * upload itself to the signed URL CreateArtifact returns, with Azure Blob's block protocol (the
 * SDK's BlobClient: `PUT ?comp=block&blockid=…` per chunk, then `PUT ?comp=blocklist`). The token
 * is a JWT whose `scp` claim carries the run's backend ids (`Actions.Results:{run}:{job}`), as the
 * SDK decodes it. Finalize checks the size and the `sha256:` hash against what was uploaded.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export interface StoredArtifact {
  id: number;
  name: string;
  runBackendId: string;
  jobBackendId: string;
  mimeType?: string;
  /** The uploaded bytes (a zip of the files). */
  bytes: Buffer;
  finalized: boolean;
}

export interface ArtifactServer {
  url: string;
  /** ACTIONS_RUNTIME_TOKEN for the runner's environment. */
  token: string;
  artifacts: StoredArtifact[];
  /** Every request: method and path (query left out). */
  requests: string[];
  close(): Promise<void>;
}

const SERVICE = '/twirp/github.actions.results.api.v1.ArtifactService/';

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function twirpError(res: ServerResponse, status: number, code: string, msg: string): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ code, msg }));
}

export async function startArtifactServer(): Promise<ArtifactServer> {
  const runBackendId = randomUUID();
  const jobBackendId = randomUUID();
  const token = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ scp: `Actions.ExampleScope Actions.Results:${runBackendId}:${jobBackendId}` })}.c2ln`;
  const artifacts: StoredArtifact[] = [];
  const requests: string[] = [];
  /** Blocks staged per blob path, by block id. */
  const staged = new Map<string, Map<string, Buffer>>();
  const blobs = new Map<string, Buffer>();
  const signatures = new Map<string, string>();
  let url = '';

  const server = createServer(async (req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    requests.push(`${req.method} ${u.pathname}`);
    const data = await body(req);
    if (req.method === 'POST' && u.pathname.startsWith(SERVICE)) {
      if (req.headers.authorization !== `Bearer ${token}`)
        return twirpError(res, 401, 'unauthenticated', 'invalid runtime token');
      const method = u.pathname.slice(SERVICE.length);
      const input = JSON.parse(data.toString('utf8')) as Record<string, unknown>;
      if (
        input.workflow_run_backend_id !== runBackendId ||
        input.workflow_job_run_backend_id !== jobBackendId
      )
        return twirpError(res, 400, 'invalid_argument', 'unknown workflow run or job');
      const name = String(input.name ?? '');
      if (method === 'CreateArtifact') {
        if (input.version !== 7) return twirpError(res, 400, 'invalid_argument', 'unsupported version');
        if (artifacts.some((a) => a.name === name))
          return twirpError(res, 409, 'already_exists', `an artifact named ${name} already exists`);
        const path = `/devstoreaccount1/actions-results/${randomUUID()}/${encodeURIComponent(name)}.zip`;
        const sig = randomUUID();
        signatures.set(path, sig);
        artifacts.push({
          id: 0,
          name,
          runBackendId,
          jobBackendId,
          ...(typeof input.mime_type === 'string' ? { mimeType: input.mime_type } : {}),
          bytes: Buffer.alloc(0),
          finalized: false,
        });
        (artifacts.at(-1) as StoredArtifact & { path?: string }).path = path;
        const signed = `${url}${path}?sv=2023-11-03&sr=b&sp=cw&se=2099-01-01&sig=${sig}`;
        const answer = JSON.stringify({ ok: true, signed_upload_url: signed });
        res.writeHead(200, { 'content-type': 'application/json' }).end(answer);
        return;
      }
      if (method === 'FinalizeArtifact') {
        const artifact = artifacts.find((a) => a.name === name) as
          | (StoredArtifact & { path?: string })
          | undefined;
        const bytes = artifact?.path ? blobs.get(artifact.path) : undefined;
        if (!artifact || !bytes) return twirpError(res, 404, 'not_found', `no upload for ${name}`);
        if (String(input.size) !== String(bytes.length))
          return twirpError(res, 400, 'invalid_argument', `size ${input.size} is not ${bytes.length}`);
        const hash = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
        if (input.hash !== undefined && input.hash !== hash)
          return twirpError(res, 400, 'invalid_argument', 'hash mismatch');
        artifact.bytes = bytes;
        artifact.finalized = true;
        artifact.id = 1000 + artifacts.indexOf(artifact);
        const answer = JSON.stringify({ ok: true, artifact_id: String(artifact.id) });
        res.writeHead(200, { 'content-type': 'application/json' }).end(answer);
        return;
      }
      return twirpError(res, 404, 'bad_route', `no method ${method}`);
    }
    // Azure Blob, behind the signed URL.
    if (req.method === 'PUT' && signatures.has(u.pathname)) {
      if (u.searchParams.get('sig') !== signatures.get(u.pathname)) {
        res.writeHead(403).end();
        return;
      }
      const headers = {
        'x-ms-request-id': randomUUID(),
        'x-ms-version': '2023-11-03',
        etag: `"0x${randomUUID().replace(/-/g, '').slice(0, 15).toUpperCase()}"`,
        'last-modified': new Date().toUTCString(),
        'x-ms-request-server-encrypted': 'true',
      };
      const comp = u.searchParams.get('comp');
      if (comp === 'block') {
        const blocks = staged.get(u.pathname) ?? new Map<string, Buffer>();
        blocks.set(u.searchParams.get('blockid') ?? '', data);
        staged.set(u.pathname, blocks);
        res.writeHead(201, headers).end();
        return;
      }
      if (comp === 'blocklist') {
        const ids = [...data.toString('utf8').matchAll(/<(?:Latest|Uncommitted|Committed)>([^<]*)<\//g)].map(
          (m) => m[1] ?? '',
        );
        const blocks = staged.get(u.pathname) ?? new Map();
        if (ids.some((id) => !blocks.has(id))) {
          res.writeHead(400, { 'x-ms-error-code': 'InvalidBlockList' }).end();
          return;
        }
        blobs.set(u.pathname, Buffer.concat(ids.map((id) => blocks.get(id) as Buffer)));
        res.writeHead(201, headers).end();
        return;
      }
      if (comp === null && req.headers['x-ms-blob-type'] === 'BlockBlob') {
        blobs.set(u.pathname, data);
        res.writeHead(201, headers).end();
        return;
      }
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    url,
    token,
    artifacts,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
