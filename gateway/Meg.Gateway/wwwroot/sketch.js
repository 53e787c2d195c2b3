// The sketch pad: black outlines on white, pen widths, eraser, undo, clear; or an uploaded image or a held-out scene's
// sketch, sent to the API as they are (the API resizes them to the model's size).

const UndoDepth = 30;

export class SketchPad {
  constructor(canvas, onChange) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d', { willReadFrequently: true });
    this.onChange = onChange;
    this.width = 8; // canvas px: 2 px once the 256-px canvas is shrunk to the 64-px sketch
    this.erasing = false;
    this.undo = [];
    this.file = null; // {base64, label}: an uploaded image or scene, until the next stroke
    this.fill();
    canvas.addEventListener('pointerdown', e => this.start(e));
    canvas.addEventListener('pointermove', e => this.move(e));
    for (const end of ['pointerup', 'pointercancel', 'pointerleave']) canvas.addEventListener(end, () => this.end());
  }

  fill() {
    this.ctx.fillStyle = '#fff';
    this.ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
  }

  point(e) {
    const r = this.canvas.getBoundingClientRect();
    return [(e.clientX - r.left) * this.canvas.width / r.width, (e.clientY - r.top) * this.canvas.height / r.height];
  }

  remember() {
    this.undo.push({ pixels: this.ctx.getImageData(0, 0, this.canvas.width, this.canvas.height), file: this.file });
    if (this.undo.length > UndoDepth) this.undo.shift();
  }

  start(e) {
    if (e.button !== 0) return;
    this.canvas.setPointerCapture?.(e.pointerId);
    this.remember();
    this.file = null; // drawing on a picked scene or upload makes the canvas the sketch
    this.last = this.point(e);
    this.stroke(this.last, this.last);
  }

  move(e) {
    if (!this.last) return;
    const p = this.point(e);
    this.stroke(this.last, p);
    this.last = p;
  }

  end() {
    if (!this.last) return;
    this.last = null;
    this.onChange?.('drawn');
  }

  stroke([x0, y0], [x1, y1]) {
    const c = this.ctx;
    c.strokeStyle = this.erasing ? '#fff' : '#000';
    c.lineWidth = this.erasing ? this.width * 3 : this.width;
    c.lineCap = c.lineJoin = 'round';
    c.beginPath(); c.moveTo(x0, y0); c.lineTo(x1, y1); c.stroke();
  }

  undoLast() {
    const last = this.undo.pop();
    if (!last) return;
    this.ctx.putImageData(last.pixels, 0, 0);
    this.file = last.file;
    this.onChange?.('undone');
  }

  clear() {
    this.remember();
    this.file = null;
    this.fill();
    this.onChange?.('cleared');
  }

  /** Shows an image (a Blob) on the canvas and makes its bytes the sketch. Non-PNG images are sent as PNG at full size. */
  async load(blob, label) {
    const bitmap = await createImageBitmap(blob);
    let png = blob;
    if (blob.type !== 'image/png') {
      const full = new OffscreenCanvas(bitmap.width, bitmap.height);
      full.getContext('2d').drawImage(bitmap, 0, 0);
      png = await full.convertToBlob({ type: 'image/png' });
    }
    this.remember();
    this.fill();
    this.ctx.imageSmoothingEnabled = false;
    const scale = Math.min(this.canvas.width / bitmap.width, this.canvas.height / bitmap.height);
    const [w, h] = [bitmap.width * scale, bitmap.height * scale];
    this.ctx.drawImage(bitmap, (this.canvas.width - w) / 2, (this.canvas.height - h) / 2, w, h);
    this.file = { base64: await base64Of(png), label };
    this.onChange?.('loaded');
  }

  /** The sketch to send: base64 PNG. */
  async base64() {
    if (this.file) return this.file.base64;
    const blob = await new Promise(resolve => this.canvas.toBlob(resolve, 'image/png'));
    return base64Of(blob);
  }

  /** Restores a sketch from history (base64 PNG), sent again byte for byte. */
  async restore(base64, label) {
    const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0));
    await this.load(new Blob([bytes], { type: 'image/png' }), label);
  }
}

export async function base64Of(blob) {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}
