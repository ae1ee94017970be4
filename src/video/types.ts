/** What probing a clip tells about it. */
export interface ClipInfo {
  /** The path as given. */
  path: string;
  /** A still image is a one-frame clip. */
  kind: 'video' | 'image';
  /** Upright display width in pixels (after rotation and sample aspect ratio). */
  width: number;
  /** Upright display height in pixels. */
  height: number;
  /** Duration in seconds (0 for an image). */
  durationSec: number;
  /** Average frame rate in frames per second (1 for an image). */
  fps: number;
  /** Number of frames, counted or estimated from duration x fps (1 for an image). */
  frameCount: number;
  /** Clockwise rotation in degrees applied to display the stream upright. */
  rotationDeg: 0 | 90 | 180 | 270;
  /** Video codec name as ffprobe reports it (e.g. "h264"), when known. */
  codec?: string;
  /**
   * Index of the chosen video stream among all the file's streams (cover art is skipped), when
   * ffprobe gave it; the decoder reads this stream, else the first video stream.
   */
  streamIndex?: number;
}

/** One decoded frame: upright, square pixels, interleaved RGB, 8 bits a channel. */
export interface RgbFrame {
  /** 0-based index of the frame in the clip's frame sequence. */
  index: number;
  /** Presentation time in seconds. */
  timeSec: number;
  width: number;
  height: number;
  /** width * height * 3 bytes, row-major RGB. */
  data: Uint8Array;
}
