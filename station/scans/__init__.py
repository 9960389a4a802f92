"""Document capture with the camera: page detection, perspective correction, sharpness."""
