import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { missingComponent, TargetUnavailable } from './target.ts';

/** nginx in front of the cluster's nodes: where Debian's `nginx-light` puts it, or on PATH. */
function nginxBinary(): string {
  for (const candidate of ['/usr/sbin/nginx', ...(process.env.PATH ?? '').split(':').map((dir) => join(dir, 'nginx'))]) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  throw new TargetUnavailable('nginx is not installed (apt-get install nginx-light)');
}

/** The one line naming nginx when it is missing; undefined when it is installed. */
export const nginxMissing = (): string | undefined => missingComponent(nginxBinary);

export interface Nginx {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * The load balancer an Artifactory HA cluster sits behind (EDGE-HA-3): round robin over the
 * nodes, passive health checks (a node that refuses a connection or times out is left out for a
 * few seconds and the request moves on to the next one; the Edge's own 502 is an answer), and bodies streamed both ways
 * (`proxy_request_buffering off`, `proxy_buffering off`) so a 1 GiB upload is not spooled to disk first.
 * The Host header is passed on, so the URLs the Edge writes are the load balancer's.
 */
export async function startNginx(dir: string, port: number, nodePorts: readonly number[]): Promise<Nginx> {
  const binary = nginxBinary();
  await mkdir(join(dir, 'temp'), { recursive: true });
  const config = `
daemon off;
master_process on;
worker_processes 1;
user root;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${join(dir, 'temp', 'body')};
  proxy_temp_path ${join(dir, 'temp', 'proxy')};
  fastcgi_temp_path ${join(dir, 'temp', 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'temp', 'uwsgi')};
  scgi_temp_path ${join(dir, 'temp', 'scgi')};
  upstream edges {
${nodePorts.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=3s;`).join('\n')}
    keepalive 32;
  }
  server {
    listen 127.0.0.1:${port};
    client_max_body_size 0;
    location / {
      proxy_pass http://edges;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_request_buffering off;
      proxy_buffering off;
      # Only a node that cannot be reached is a failure: the Edge's own 502 (an upstream of a
      # smart remote down, EDGE-SR-11) is an answer, and retrying it would mark every node failed.
      proxy_next_upstream error timeout;
      proxy_connect_timeout 2s;
      proxy_read_timeout 600s;
      proxy_send_timeout 600s;
    }
  }
}
`;
  const file = join(dir, 'nginx.conf');
  await writeFile(file, config);
  const child = spawn(binary, ['-p', dir, '-c', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => (errors += chunk));
  const exited = new Promise<number | null>((done) => child.once('close', done));
  await waitListening(`http://127.0.0.1:${port}/`, child, () => errors);
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null) child.kill('SIGQUIT');
      await exited;
    },
  };
}

async function waitListening(url: string, child: ChildProcess, errors: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new TargetUnavailable(`nginx stopped at start: ${errors().trim().split('\n')[0]}`);
    // Any answer (a node's 404, or 502 while none answers) means nginx listens.
    if (
      await fetch(url, { signal: AbortSignal.timeout(1_000) }).then(
        () => true,
        () => false,
      )
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new TargetUnavailable('nginx did not listen within 10 s');
}
