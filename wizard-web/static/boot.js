// Starts the wizard: decodes the embedded WebAssembly module (base64 of its
// gzip), inflates it with the browser's DecompressionStream and instantiates it
// from memory: the page's CSP allows no fetch, not even of its own files.
import init from './wizard_web.js';
import wasmBase64 from './wizard_web_wasm.js';

function decode(text) {
  if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(text);
  const raw = atob(text);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

const app = document.getElementById('app');
try {
  const packed = new Blob([decode(wasmBase64)]).stream().pipeThrough(new DecompressionStream('gzip'));
  const bytes = await new Response(packed).arrayBuffer();
  app.replaceChildren();
  await init({ module_or_path: bytes });
} catch (err) {
  const p = document.createElement('p');
  p.className = 'error';
  p.textContent = `The wizard could not start: ${err}`;
  app.replaceChildren(p);
  throw err;
}
