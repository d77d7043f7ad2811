// Plays exported videos in headless Chromium (Debian's /usr/bin/chromium) the
// way a web page would: served over HTTP with range requests, <video> loads,
// plays for 1.5 s, seeks, and a frame is read back through a canvas.
// Usage: node play_videos.js DIR FILE... ; exits 0 when every file played.
const { chromium } = require('playwright-core');
const http = require('http');
const fs = require('fs');
const path = require('path');
const dir = process.argv[2];
const files = process.argv.slice(3);
const server = http.createServer((req, res) => {
  const f = req.url === '/index.html' ? null : path.join(dir, path.basename(decodeURIComponent(req.url.slice(1))));
  if (!f) {
    res.writeHead(200, {'Content-Type': 'text/html'});
    return res.end('<!doctype html><video id=v muted playsinline></video><canvas id=c></canvas>');
  }
  if (!fs.existsSync(f)) { res.writeHead(404); return res.end(); }
  const type = f.endsWith('.mp4') ? 'video/mp4' : f.endsWith('.webm') ? 'video/webm' : 'text/html';
  const data = fs.readFileSync(f);
  // Range support so the browser can seek like on a real server.
  const range = req.headers.range;
  if (range) {
    const [s, e] = range.replace('bytes=', '').split('-');
    const start = +s, end = e ? +e : data.length - 1;
    res.writeHead(206, {'Content-Type': type, 'Accept-Ranges': 'bytes',
      'Content-Range': `bytes ${start}-${end}/${data.length}`, 'Content-Length': end - start + 1});
    return res.end(data.subarray(start, end + 1));
  }
  res.writeHead(200, {'Content-Type': type, 'Content-Length': data.length, 'Accept-Ranges': 'bytes'});
  res.end(data);
});
server.listen(0, '127.0.0.1', async () => {
  const port = server.address().port;
  const browser = await chromium.launch({executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
           '--disable-sync', '--no-first-run', '--autoplay-policy=no-user-gesture-required']});
  const page = await browser.newPage();
  let ok = true;
  for (const f of files) {
    await page.goto(`http://127.0.0.1:${port}/index.html`);
    const r = await page.evaluate(async (url) => {
      const v = document.getElementById('v');
      const t0 = performance.now();
      v.src = url;
      await new Promise((res, rej) => { v.oncanplay = res; v.onerror = () => rej(new Error('error ' + (v.error && v.error.code))); });
      const startup_ms = performance.now() - t0;
      await v.play();
      await new Promise(r => setTimeout(r, 1500));
      const played = v.currentTime;
      v.pause();
      v.currentTime = Math.min(14, v.duration / 2);
      await new Promise(r => { v.onseeked = r; });
      const c = document.getElementById('c');
      c.width = v.videoWidth; c.height = v.videoHeight;
      const ctx = c.getContext('2d');
      ctx.drawImage(v, 0, 0);
      const px = ctx.getImageData(v.videoWidth / 2, v.videoHeight / 4, 1, 1).data;
      const tracks = v.textTracks ? v.textTracks.length : -1;
      return {w: v.videoWidth, h: v.videoHeight, duration: v.duration, startup_ms: Math.round(startup_ms),
              played_s: played, seek_pixel: Array.from(px), textTracks: tracks,
              audio: v.mozHasAudio ?? (v.webkitAudioDecodedByteCount > 0 || (v.audioTracks ? v.audioTracks.length : 'n/a'))};
    }, `http://127.0.0.1:${port}/${path.basename(f)}`).catch(e => ({error: String(e)}));
    console.log(path.basename(f), JSON.stringify(r));
    // Played for real (time advanced), has the right length, and the seeked
    // frame is a picture (not black: the sample's sky is light blue).
    if (r.error || !(r.played_s > 0.5) || !(r.duration > 1) || !(r.w > 0) ||
        !(r.seek_pixel && r.seek_pixel[0] + r.seek_pixel[1] + r.seek_pixel[2] > 150)) ok = false;
  }
  await browser.close();
  server.close();
  process.exit(ok ? 0 : 1);
});
