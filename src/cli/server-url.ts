/**
 * The address of the local server as `huitong serve` would listen with this environment
 * (HUITONG_HOST, HUITONG_PORT), for commands that talk to a running server by default.
 */
export function localServerUrl(env: NodeJS.ProcessEnv = process.env): string {
  const host = env.HUITONG_HOST && env.HUITONG_HOST !== '0.0.0.0' ? env.HUITONG_HOST : '127.0.0.1';
  const port = env.HUITONG_PORT && /^\d+$/.test(env.HUITONG_PORT) ? env.HUITONG_PORT : '8040';
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
