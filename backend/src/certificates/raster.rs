//! Images a certificate prints (a template's logo, signature and background, and the QR
//! code) as raw pixels for the PDF. Uploads are PNG or JPEG, told apart by their bytes, and
//! decoded by the `image` crate within limits (sides and allocation), so a crafted file can
//! neither pass as an image nor make the server allocate without bound.

use std::io::Cursor;

use image::{ImageFormat, ImageReader, Limits};
use shared::certificates::TemplateImage;

/// Decoding may allocate at most this much (a 4096×4096 RGBA image is 64 MiB).
const MAX_ALLOC: u64 = 80 * 1024 * 1024;

/// Pixels ready for a PDF image: 8 bits per component, RGB or grey, with an optional alpha
/// channel (a soft mask in the PDF).
#[derive(Debug, Clone)]
pub struct Raster {
    pub width: u32,
    pub height: u32,
    pub grey: bool,
    pub pixels: Vec<u8>,
    pub alpha: Option<Vec<u8>>,
    /// Smooth when scaled (photos); a QR code stays sharp.
    pub interpolate: bool,
}

/// Why an upload is not an image the certificate can print: the `reason` of a 422 on field
/// `image`.
pub type Rejection = &'static str;

/// The format of `bytes` if they are a PNG or JPEG no larger than `max_side` on either side.
pub fn sniff(bytes: &[u8], max_side: u32) -> Result<ImageFormat, Rejection> {
    let format = match imagesize::image_type(bytes) {
        Ok(imagesize::ImageType::Png) => ImageFormat::Png,
        Ok(imagesize::ImageType::Jpeg) => ImageFormat::Jpeg,
        _ => return Err("unsupported_image_type"),
    };
    let size = imagesize::blob_size(bytes).map_err(|_| "unreadable_image")?;
    if size.width == 0 || size.height == 0 {
        return Err("unreadable_image");
    }
    let max = usize::try_from(max_side).unwrap_or(usize::MAX);
    if size.width > max || size.height > max {
        return Err("image_too_large");
    }
    Ok(format)
}

/// Decodes an uploaded image of `kind` completely: what an upload must survive before it is
/// stored, and what the PDF draws.
pub fn decode(bytes: &[u8], kind: TemplateImage) -> Result<Raster, Rejection> {
    let format = sniff(bytes, kind.max_side())?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(kind.max_side());
    limits.max_image_height = Some(kind.max_side());
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let image = reader.decode().map_err(|_| "unreadable_image")?;
    let (width, height) = (image.width(), image.height());
    if !image.color().has_alpha() {
        return Ok(Raster {
            width,
            height,
            grey: false,
            pixels: image.into_rgb8().into_raw(),
            alpha: None,
            interpolate: true,
        });
    }
    let rgba = image.into_rgba8().into_raw();
    let mut pixels = Vec::with_capacity(rgba.len() / 4 * 3);
    let mut alpha = Vec::with_capacity(rgba.len() / 4);
    for px in rgba.chunks_exact(4) {
        pixels.extend_from_slice(&px[..3]);
        alpha.push(px[3]);
    }
    let opaque = alpha.iter().all(|&a| a == u8::MAX);
    Ok(Raster {
        width,
        height,
        grey: false,
        pixels,
        alpha: (!opaque).then_some(alpha),
        interpolate: true,
    })
}

/// The size of a `width`×`height` image scaled to fit a `max_w`×`max_h` box, keeping its
/// proportions.
pub fn fit(width: u32, height: u32, max_w: f32, max_h: f32) -> (f32, f32) {
    if width == 0 || height == 0 {
        return (0.0, 0.0);
    }
    // Pixel sides are at most 4096, exactly representable.
    #[allow(clippy::cast_precision_loss)]
    let (w, h) = (width as f32, height as f32);
    let scale = (max_w / w).min(max_h / h);
    (w * scale, h * scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32, rgba: [u8; 4]) -> Vec<u8> {
        let image = image::RgbaImage::from_pixel(width, height, image::Rgba(rgba));
        let mut out = Cursor::new(Vec::new());
        image.write_to(&mut out, ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn pngs_and_jpegs_decode_with_their_alpha() {
        let opaque = decode(&png(3, 2, [10, 20, 30, 255]), TemplateImage::Logo).unwrap();
        assert_eq!((opaque.width, opaque.height), (3, 2));
        assert_eq!(&opaque.pixels[..3], &[10, 20, 30]);
        assert!(opaque.alpha.is_none(), "a fully opaque PNG needs no mask");
        let clear = decode(&png(2, 2, [0, 0, 0, 0]), TemplateImage::Signature).unwrap();
        assert_eq!(clear.alpha.as_deref(), Some(&[0u8, 0, 0, 0][..]));

        let rgb = image::RgbImage::from_pixel(4, 4, image::Rgb([200, 100, 50]));
        let mut jpeg = Cursor::new(Vec::new());
        rgb.write_to(&mut jpeg, ImageFormat::Jpeg).unwrap();
        let decoded = decode(jpeg.get_ref(), TemplateImage::Background).unwrap();
        assert_eq!(
            (decoded.width, decoded.height, decoded.pixels.len()),
            (4, 4, 48)
        );
    }

    #[test]
    fn other_files_and_oversized_images_are_refused() {
        let svg = b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>";
        assert_eq!(
            decode(svg, TemplateImage::Logo).unwrap_err(),
            "unsupported_image_type"
        );
        assert_eq!(
            decode(b"GIF89a....", TemplateImage::Logo).unwrap_err(),
            "unsupported_image_type"
        );
        assert_eq!(
            decode(&png(2049, 1, [0, 0, 0, 255]), TemplateImage::Logo).unwrap_err(),
            "image_too_large"
        );
        assert!(decode(&png(2049, 1, [0, 0, 0, 255]), TemplateImage::Background).is_ok());
        // A PNG header whose data is cut off.
        let mut cut = png(64, 64, [1, 2, 3, 255]);
        cut.truncate(60);
        assert_eq!(
            decode(&cut, TemplateImage::Logo).unwrap_err(),
            "unreadable_image"
        );
    }

    #[test]
    fn fitting_keeps_proportions() {
        assert_eq!(fit(200, 100, 100.0, 100.0), (100.0, 50.0));
        assert_eq!(fit(100, 200, 100.0, 50.0), (25.0, 50.0));
        assert_eq!(fit(0, 5, 10.0, 10.0), (0.0, 0.0));
    }
}
