/**
 * Real, deterministic file bytes for the generated library: PNG or JPEG images (a distinct colour per
 * asset and its number drawn with a built-in 5×7 bitmap font, so screenshots show distinct tiles),
 * one-page PDF documents, WAV audio (a tone per asset) and MP4 video containers.
 */
import { encode as encodeJpeg } from "jpeg-js";
import { PNG } from "pngjs";

/** 5×7 glyphs, one 5-bit row per number, top row first. */
const FONT: Record<string, number[]> = {
  "0": [0x0e, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0e],
  "1": [0x04, 0x0c, 0x04, 0x04, 0x04, 0x04, 0x0e],
  "2": [0x0e, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1f],
  "3": [0x1f, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0e],
  "4": [0x02, 0x06, 0x0a, 0x12, 0x1f, 0x02, 0x02],
  "5": [0x1f, 0x10, 0x1e, 0x01, 0x01, 0x11, 0x0e],
  "6": [0x06, 0x08, 0x10, 0x1e, 0x11, 0x11, 0x0e],
  "7": [0x1f, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08],
  "8": [0x0e, 0x11, 0x11, 0x0e, 0x11, 0x11, 0x0e],
  "9": [0x0e, 0x11, 0x11, 0x0f, 0x01, 0x02, 0x0c],
  A: [0x0e, 0x11, 0x11, 0x11, 0x1f, 0x11, 0x11],
  B: [0x1e, 0x11, 0x11, 0x1e, 0x11, 0x11, 0x1e],
  C: [0x0e, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0e],
  D: [0x1c, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1c],
  E: [0x1f, 0x10, 0x10, 0x1e, 0x10, 0x10, 0x1f],
  F: [0x1f, 0x10, 0x10, 0x1e, 0x10, 0x10, 0x10],
  G: [0x0e, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0f],
  H: [0x11, 0x11, 0x11, 0x1f, 0x11, 0x11, 0x11],
  I: [0x0e, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0e],
  J: [0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0c],
  K: [0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11],
  L: [0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1f],
  M: [0x11, 0x1b, 0x15, 0x15, 0x11, 0x11, 0x11],
  N: [0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11],
  O: [0x0e, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0e],
  P: [0x1e, 0x11, 0x11, 0x1e, 0x10, 0x10, 0x10],
  Q: [0x0e, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0d],
  R: [0x1e, 0x11, 0x11, 0x1e, 0x14, 0x12, 0x11],
  S: [0x0f, 0x10, 0x10, 0x0e, 0x01, 0x01, 0x1e],
  T: [0x1f, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04],
  U: [0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0e],
  V: [0x11, 0x11, 0x11, 0x11, 0x11, 0x0a, 0x04],
  W: [0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0a],
  X: [0x11, 0x11, 0x0a, 0x04, 0x0a, 0x11, 0x11],
  Y: [0x11, 0x11, 0x11, 0x0a, 0x04, 0x04, 0x04],
  Z: [0x1f, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1f],
  "#": [0x0a, 0x0a, 0x1f, 0x0a, 0x1f, 0x0a, 0x0a],
  "-": [0, 0, 0, 0x1f, 0, 0, 0],
  ".": [0, 0, 0, 0, 0, 0x0c, 0x0c],
  ":": [0, 0x0c, 0x0c, 0, 0x0c, 0x0c, 0],
  "/": [0, 0x01, 0x02, 0x04, 0x08, 0x10, 0],
  " ": [0, 0, 0, 0, 0, 0, 0],
};

export type Rgb = [number, number, number];

/** A colour per asset number: golden-ratio hue steps keep neighbours far apart on the wheel. */
export function assetColour(assetNumber: number): Rgb {
  const hue = (assetNumber * 0.618033988749895) % 1;
  const s = 0.55;
  const l = 0.5;
  const q = l + s - l * s;
  const p = 2 * l - q;
  const channel = (t: number) => {
    const x = ((t % 1) + 1) % 1;
    const v = x < 1 / 6 ? p + (q - p) * 6 * x : x < 1 / 2 ? q : x < 2 / 3 ? p + (q - p) * (2 / 3 - x) * 6 : p;
    return Math.round(v * 255);
  };
  return [channel(hue + 1 / 3), channel(hue), channel(hue - 1 / 3)];
}

class Canvas {
  readonly data: Buffer;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.data = Buffer.alloc(width * height * 4, 255);
  }

  fill(x0: number, y0: number, w: number, h: number, [r, g, b]: Rgb): void {
    const x1 = Math.min(this.width, x0 + w);
    const y1 = Math.min(this.height, y0 + h);
    const xs = Math.max(0, x0);
    if (xs >= x1) return;
    const row = Buffer.alloc((x1 - xs) * 4, 255);
    for (let i = 0; i < row.length; i += 4) {
      row[i] = r;
      row[i + 1] = g;
      row[i + 2] = b;
    }
    for (let y = Math.max(0, y0); y < y1; y++) row.copy(this.data, (y * this.width + xs) * 4);
  }

  /** Draws text in the bitmap font, `scale` pixels per font dot, centred on (cx, cy). */
  text(label: string, cx: number, cy: number, scale: number, colour: Rgb): void {
    const chars = [...label.toUpperCase()];
    const x0 = Math.round(cx - (chars.length * 6 - 1) * scale / 2);
    const y0 = Math.round(cy - (7 * scale) / 2);
    chars.forEach((ch, i) => {
      const glyph = FONT[ch] ?? FONT[" "];
      glyph.forEach((bits, row) => {
        for (let col = 0; col < 5; col++) {
          if (bits & (0x10 >> col)) this.fill(x0 + (i * 6 + col) * scale, y0 + row * scale, scale, scale, colour);
        }
      });
    });
  }

  encode(format: ImageFormat): Buffer {
    return encodeRgba(this.data, this.width, this.height, format);
  }
}

export type ImageFormat = "png" | "jpeg";

/**
 * RGBA pixels as a PNG or a JPEG (quality 85). The PNG keeps its (opaque) alpha channel: pngjs's
 * RGBA-to-RGB conversion is many times slower than writing RGBA, and the constant channel compresses away.
 */
export function encodeRgba(data: Buffer, width: number, height: number, format: ImageFormat): Buffer {
  if (format === "jpeg") return encodeJpeg({ width, height, data }, 85).data;
  const png = new PNG({ width, height });
  png.data = data;
  return PNG.sync.write(png, { filterType: 1 });
}

/** The largest scale at which `chars` glyphs fit into `maxWidth` × `maxHeight`. */
const fitScale = (chars: number, maxWidth: number, maxHeight: number) => Math.max(1, Math.floor(Math.min(maxWidth / (chars * 6), maxHeight / 8)));

export interface ImageLabel {
  assetNumber: number;
  /** Second line, e.g. "AQUILA EMEA" or "VIDEO". */
  caption: string;
}

/** An image of exactly width × height: the asset's colour, a darker band and its number in large type. */
export function renderImage(width: number, height: number, label: ImageLabel, format: ImageFormat = "png"): Buffer {
  const canvas = new Canvas(width, height);
  const colour = assetColour(label.assetNumber);
  canvas.fill(0, 0, width, height, colour);
  const dark: Rgb = [colour[0] >> 1, colour[1] >> 1, colour[2] >> 1];
  const bandHeight = Math.max(10, Math.round(height * 0.42));
  const bandTop = Math.round((height - bandHeight) / 2);
  canvas.fill(0, bandTop, width, bandHeight, dark);
  const number = `#${label.assetNumber}`;
  const big = fitScale(number.length, width * 0.85, bandHeight * 0.55);
  const small = Math.max(1, Math.min(Math.floor(big / 3), fitScale(label.caption.length, width * 0.9, bandHeight * 0.25)));
  const white: Rgb = [255, 255, 255];
  canvas.text(number, width / 2, bandTop + bandHeight * 0.38, big, white);
  if (height >= 40) canvas.text(label.caption, width / 2, bandTop + bandHeight * 0.8, small, white);
  return canvas.encode(format);
}

const pdfText = (text: string) => text.replace(/[\\()]/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]/g, "?");

/** A one-page PDF with the asset's colour block and a few lines of text. */
export function renderPdf(assetNumber: number, lines: string[]): Buffer {
  const [r, g, b] = assetColour(assetNumber).map((c) => (c / 255).toFixed(3));
  const content = [
    `${r} ${g} ${b} rg 72 480 468 240 re f`,
    "BT /F1 48 Tf 1 1 1 rg 100 580 Td",
    `(#${assetNumber}) Tj ET`,
    ...lines.map((line, i) => `BT /F1 14 Tf 0 0 0 rg 72 ${440 - i * 22} Td (${pdfText(line)}) Tj ET`),
  ].join("\n");
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${Buffer.byteLength(content)} >>\nstream\n${content}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out);
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, "latin1");
}

const WAV_RATE = 8000;

/** Mono 16-bit PCM WAV: a tone whose pitch depends on the asset number. */
export function renderWav(assetNumber: number, seconds: number): Buffer {
  const samples = Math.round(WAV_RATE * seconds);
  const out = Buffer.alloc(44 + samples * 2);
  out.write("RIFF", 0, "ascii");
  out.writeUInt32LE(36 + samples * 2, 4);
  out.write("WAVEfmt ", 8, "ascii");
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20); // PCM
  out.writeUInt16LE(1, 22); // mono
  out.writeUInt32LE(WAV_RATE, 24);
  out.writeUInt32LE(WAV_RATE * 2, 28);
  out.writeUInt16LE(2, 32);
  out.writeUInt16LE(16, 34);
  out.write("data", 36, "ascii");
  out.writeUInt32LE(samples * 2, 40);
  const frequency = 220 + (assetNumber % 24) * 20;
  for (let i = 0; i < samples; i++) out.writeInt16LE(Math.round(Math.sin((2 * Math.PI * frequency * i) / WAV_RATE) * 8000), 44 + i * 2);
  return out;
}

function box(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length + 8, 0);
  head.write(type, 4, "ascii");
  return Buffer.concat([head, body]);
}

/**
 * An ISO base-media (MP4) file with a movie header carrying the duration and a free box naming the
 * asset. It has no media track: the mock serves video as files to pass along, not to play.
 */
export function renderMp4(assetNumber: number, seconds: number, title: string): Buffer {
  const ftyp = box("ftyp", Buffer.from("isom", "ascii"), Buffer.from([0, 0, 2, 0]), Buffer.from("isomiso2mp41", "ascii"));
  const mvhd = Buffer.alloc(100);
  mvhd.writeUInt32BE(1000, 12); // timescale: milliseconds
  mvhd.writeUInt32BE(Math.round(seconds * 1000), 16);
  mvhd.writeUInt32BE(0x00010000, 20); // rate 1.0
  mvhd.writeUInt16BE(0x0100, 24); // volume 1.0
  [0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000].forEach((v, i) => mvhd.writeUInt32BE(v, 36 + i * 4)); // identity matrix
  mvhd.writeUInt32BE(1, 96); // next track id
  const free = box("free", Buffer.from(`PhotoShelter mock video #${assetNumber}: ${title}`, "utf8"));
  return Buffer.concat([ftyp, box("moov", box("mvhd", mvhd)), free]);
}
