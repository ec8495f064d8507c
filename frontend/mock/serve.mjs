// Test-only static server for looking at the built UI with the mock bridge:
//   node mock/serve.mjs [port]   → http://127.0.0.1:<port>/?status=signed_in&tab=tokens
// Serves frontend/dist and injects mock/mock.js before the app's script.
// Binds 127.0.0.1 only.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../dist/', import.meta.url));
const mock = fileURLToPath(new URL('./mock.js', import.meta.url));
const port = Number(process.argv[2] || 34200);
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png' };

createServer(async (req, res) => {
  try {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (path === '/__mock.js') {
      res.writeHead(200, { 'content-type': types['.js'] });
      return res.end(await readFile(mock));
    }
    const file = normalize(join(root, path === '/' ? 'index.html' : path));
    if (!file.startsWith(root)) throw new Error('outside root');
    let data = await readFile(file);
    if (file.endsWith('index.html')) {
      let html = data.toString().replace('<head>', '<head>\n    <script src="/__mock.js"></script>');
      // ?inline=1 plants an inline script (and handler) to show the CSP blocks them.
      if (new URL(req.url, 'http://x').searchParams.get('inline') === '1') {
        html = html.replace('</body>', '<script>document.title = "INLINE SCRIPT RAN"</script><img src="x" onerror="document.title=\'HANDLER RAN\'"></body>');
      }
      data = Buffer.from(html);
    }
    res.writeHead(200, { 'content-type': types[extname(file)] || 'application/octet-stream' });
    res.end(data);
  } catch {
    res.writeHead(404);
    res.end('not found');
  }
}).listen(port, '127.0.0.1', () => console.log(`mock UI on http://127.0.0.1:${port}/`));
