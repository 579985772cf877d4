// Starts the wizard: decodes the embedded WebAssembly module (base64 of its
// LZMA compression), inflates it with lzma.js and instantiates it from memory:
// the page's CSP allows no fetch, not even of its own files.
import init from './wizard_web.js';
import wasmBase64 from './wizard_web_wasm.js';
import { decompress } from './lzma.js';

function decode(text) {
  if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(text);
  const raw = atob(text);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

const app = document.getElementById('app');
try {
  const bytes = decompress(decode(wasmBase64));
  app.replaceChildren();
  await init({ module_or_path: bytes });
} catch (err) {
  const p = document.createElement('p');
  p.className = 'error';
  p.textContent = `The wizard could not start: ${err}`;
  app.replaceChildren(p);
  throw err;
}
