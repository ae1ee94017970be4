// npm install: make the bundled ffmpeg and ffprobe executable by every user (the packages'
// own postinstall sets only the owner's execute bit, so a root install breaks other users).
const { chmodSync } = require('node:fs');

for (const name of ['@ffmpeg-installer/ffmpeg', '@ffprobe-installer/ffprobe']) {
  try {
    chmodSync(require(name).path, 0o755);
  } catch (err) {
    process.stderr.write(`mre-video: could not make ${name} executable: ${err.message}\n`);
  }
}
