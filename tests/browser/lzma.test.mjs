// The wizard's LZMA decoder (wizard-web/static/lzma.js, run by boot.js): the module
// the page carries decodes to the module `cargo xtask dist` built, byte for byte, and
// a damaged stream is an error, never a module.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, DIST } from './lib.mjs';
import { decompress } from '../../wizard-web/static/lzma.js';

function carried() {
  const text = fs.readFileSync(path.join(DIST, 'wizard_web_wasm.js'), 'utf8');
  const b64 = text.match(/export default "([A-Za-z0-9+/=]+)";/)[1];
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

test('the carried module decodes to the built module', () => {
  const built = fs.readFileSync(path.join(ROOT, 'target/wizard-bindgen/wizard_web.final.wasm'));
  const packed = carried();
  assert.ok(packed.length < built.length / 3, `LZMA: ${packed.length} of ${built.length} bytes`);
  const out = decompress(packed);
  assert.equal(out.length, built.length);
  assert.ok(Buffer.from(out).equals(built), 'the decoded module differs from the built one');
});

test('a truncated or damaged stream is an error', () => {
  const packed = carried();
  assert.throws(() => decompress(packed.subarray(0, packed.length - 100)), /LZMA/);
  assert.throws(() => decompress(packed.subarray(0, 20)), /LZMA/);
  const bad = packed.slice();
  bad[0] = 230; // properties past lc=8, lp=4, pb=4
  assert.throws(() => decompress(bad), /bad properties/);
  const unknown = packed.slice();
  unknown.fill(0xff, 5, 13); // the size left unknown (an end marker would be needed)
  assert.throws(() => decompress(unknown), /size must be known/);
  const flipped = packed.slice();
  flipped[13] = 1; // the range coder's first byte is always zero
  assert.throws(() => decompress(flipped), /LZMA/);
});
