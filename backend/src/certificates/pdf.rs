//! The certificate as a PDF: one A4 page drawn with `pdf-writer`, text in the embedded CJK
//! font (WenQuanYi Micro Hei, subset per document by `subsetter` to the glyphs the page
//! uses), the template's images (background, logo, signature: [`Raster`]s, each with its
//! alpha channel as a soft mask) and a QR code (`qrcode`) of the public verification URL.
//!
//! The font is a Type 0 font with Identity-H encoding over a CIDFontType2 whose CIDs are the
//! subset's glyph ids, and a `/ToUnicode` map so the text can be searched, copied and read
//! back (the tests do). The QR code is a 1-pixel-per-module greyscale image scaled up on the
//! page without interpolation, so it stays sharp and the file stays small.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::OnceLock;

use anyhow::{Context, anyhow};
use flate2::Compression;
use flate2::write::ZlibEncoder;
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str};
use qrcode::{Color, QrCode};
use shared::certificates::Orientation;

use super::raster::{Raster, fit};

/// The embedded font; see `backend/assets/fonts/README.md`.
static FONT: &[u8] = include_bytes!("../../assets/fonts/wqy-microhei-gbk.ttf");
const FONT_NAME: &[u8] = b"ECCERT+WenQuanYiMicroHei";
const FONT_RES: Name<'static> = Name(b"F1");
const QR_RES: Name<'static> = Name(b"Qr");
const BACKGROUND_RES: Name<'static> = Name(b"Bg");
const LOGO_RES: Name<'static> = Name(b"Logo");
const SIGNATURE_RES: Name<'static> = Name(b"Sig");
/// A4 in points.
const A4: (f32, f32) = (595.28, 841.89);

/// What goes on the page, every placeholder already filled in.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub orientation: Orientation,
    pub org_name: String,
    pub title: String,
    pub holder_name: String,
    pub body: String,
    pub number: String,
    pub issued_on: String,
    pub verify_url: String,
    /// The caption under the QR code ("Verify at" in the template's language).
    pub verify_caption: String,
    /// The line under the signature (may be empty).
    pub signatory: String,
    pub logo: Option<Raster>,
    pub signature: Option<Raster>,
    /// Fills the page; the frame is then left out (a designed background has its own).
    pub background: Option<Raster>,
}

fn face() -> anyhow::Result<&'static ttf_parser::Face<'static>> {
    static FACE: OnceLock<Option<ttf_parser::Face<'static>>> = OnceLock::new();
    FACE.get_or_init(|| ttf_parser::Face::parse(FONT, 0).ok())
        .as_ref()
        .ok_or_else(|| anyhow!("the embedded certificate font does not parse"))
}

/// The glyphs used so far: original glyph id → subset glyph id (the CID), with the character
/// each stands for and its advance in 1/1000 em.
struct Glyphs {
    face: &'static ttf_parser::Face<'static>,
    remapper: subsetter::GlyphRemapper,
    used: BTreeMap<u16, (char, f32)>,
}

impl Glyphs {
    fn new(face: &'static ttf_parser::Face<'static>) -> Glyphs {
        Glyphs {
            face,
            remapper: subsetter::GlyphRemapper::new(),
            used: BTreeMap::new(),
        }
    }

    fn advance(&self, c: char) -> f32 {
        let gid = self.face.glyph_index(c).unwrap_or_default();
        let units = f32::from(self.face.units_per_em());
        f32::from(self.face.glyph_hor_advance(gid).unwrap_or_default()) * 1000.0 / units
    }

    /// The width of `text` at `size` points.
    fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.advance(c)).sum::<f32>() * size / 1000.0
    }

    /// `text` as Identity-H bytes (two bytes per CID), recording the glyphs it uses.
    fn encode(&mut self, text: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len() * 2);
        for c in text.chars().filter(|c| !c.is_control()) {
            let gid = self.face.glyph_index(c).unwrap_or_default();
            let cid = self.remapper.remap(gid.0);
            let advance = self.advance(c);
            self.used.entry(cid).or_insert((c, advance));
            out.extend_from_slice(&cid.to_be_bytes());
        }
        out
    }
}

/// Splits `text` into lines no wider than `max` at `size`: CJK text breaks between any two
/// characters, other text between words.
fn wrap(glyphs: &Glyphs, text: &str, size: f32, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for token in tokens(paragraph) {
            let candidate = format!("{line}{token}");
            if !line.is_empty() && glyphs.width(&candidate, size) > max {
                lines.push(line.trim_end().to_owned());
                line = token.trim_start().to_owned();
            } else {
                line = candidate;
            }
        }
        lines.push(line.trim_end().to_owned());
    }
    lines
}

/// Words (with their leading space) and single wide characters.
fn tokens(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    for c in text.chars() {
        let wide = u32::from(c) >= 0x2E80;
        if (wide || c == ' ') && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        if wide {
            out.push(c.to_string());
        } else {
            current.push(c);
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

fn deflate(bytes: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?)
}

/// The QR code's modules as greyscale pixels (0 dark, 255 light) with a 4-module quiet zone.
fn qr_raster(url: &str) -> anyhow::Result<Raster> {
    let code =
        QrCode::new(url.as_bytes()).context("the verification URL does not fit a QR code")?;
    let width = code.width();
    let quiet = 4;
    let side = width + 2 * quiet;
    let colors = code.to_colors();
    let mut pixels = vec![255u8; side * side];
    for y in 0..width {
        for x in 0..width {
            if colors[y * width + x] == Color::Dark {
                pixels[(y + quiet) * side + x + quiet] = 0;
            }
        }
    }
    let side = u32::try_from(side)?;
    Ok(Raster {
        width: side,
        height: side,
        grey: true,
        pixels,
        alpha: None,
        interpolate: false,
    })
}

/// Draws image `name` at `x`, `y` (its lower left corner), `w` × `h` points.
fn place(content: &mut Content, name: Name<'_>, x: f32, y: f32, w: f32, h: f32) {
    content
        .save_state()
        .transform([w, 0.0, 0.0, h, x, y])
        .x_object(name)
        .restore_state();
}

/// Draws one line of text centred on `x` with its baseline at `y`.
fn centred(content: &mut Content, glyphs: &mut Glyphs, text: &str, size: f32, x: f32, y: f32) {
    let start = x - glyphs.width(text, size) / 2.0;
    let bytes = glyphs.encode(text);
    content
        .begin_text()
        .set_font(FONT_RES, size)
        .next_line(start, y)
        .show(Str(&bytes))
        .end_text();
}

/// Renders the certificate.
pub fn render(sheet: &Sheet) -> anyhow::Result<Vec<u8>> {
    let mut glyphs = Glyphs::new(face()?);
    let (w, h) = match sheet.orientation {
        Orientation::Landscape => (A4.1, A4.0),
        Orientation::Portrait => (A4.0, A4.1),
    };
    let cx = w / 2.0;
    let mut content = Content::new();
    let mut images: Vec<(Name<'static>, &Raster)> = Vec::new();

    if let Some(background) = &sheet.background {
        place(&mut content, BACKGROUND_RES, 0.0, 0.0, w, h);
        images.push((BACKGROUND_RES, background));
    } else {
        // A double frame.
        content.set_stroke_rgb(0.55, 0.42, 0.16).set_line_width(3.0);
        content.rect(24.0, 24.0, w - 48.0, h - 48.0).stroke();
        content.set_line_width(0.8);
        content.rect(34.0, 34.0, w - 68.0, h - 68.0).stroke();
    }

    let mut y = h - 60.0;
    if let Some(logo) = &sheet.logo {
        let (lw, lh) = fit(logo.width, logo.height, 160.0, 56.0);
        place(&mut content, LOGO_RES, cx - lw / 2.0, y - lh, lw, lh);
        images.push((LOGO_RES, logo));
        y -= lh + 28.0;
    } else {
        y -= 35.0;
    }
    content.set_fill_rgb(0.2, 0.2, 0.2);
    centred(&mut content, &mut glyphs, &sheet.org_name, 16.0, cx, y);
    y -= 60.0;
    content.set_fill_rgb(0.55, 0.42, 0.16);
    centred(&mut content, &mut glyphs, &sheet.title, 34.0, cx, y);
    y -= 70.0;
    content.set_fill_rgb(0.1, 0.1, 0.1);
    centred(&mut content, &mut glyphs, &sheet.holder_name, 28.0, cx, y);
    y -= 45.0;
    content.set_fill_rgb(0.25, 0.25, 0.25);
    for line in wrap(&glyphs, &sheet.body, 14.0, w - 200.0) {
        centred(&mut content, &mut glyphs, &line, 14.0, cx, y);
        y -= 22.0;
    }

    // The signature above a line at the bottom centre, the signatory under it.
    if sheet.signature.is_some() || !sheet.signatory.is_empty() {
        let line_y = 100.0;
        content.set_fill_rgb(0.25, 0.25, 0.25);
        if let Some(signature) = &sheet.signature {
            let (sw, sh) = fit(signature.width, signature.height, 180.0, 50.0);
            place(
                &mut content,
                SIGNATURE_RES,
                cx - sw / 2.0,
                line_y + 3.0,
                sw,
                sh,
            );
            images.push((SIGNATURE_RES, signature));
        }
        content.set_stroke_rgb(0.4, 0.4, 0.4).set_line_width(0.6);
        content
            .move_to(cx - 90.0, line_y)
            .line_to(cx + 90.0, line_y)
            .stroke();
        if !sheet.signatory.is_empty() {
            centred(
                &mut content,
                &mut glyphs,
                &sheet.signatory,
                11.0,
                cx,
                line_y - 15.0,
            );
        }
    }

    // The number and date at the bottom left, the QR code at the bottom right.
    let footer = [sheet.number.as_str(), sheet.issued_on.as_str()];
    for (i, text) in footer.iter().enumerate() {
        let bytes = glyphs.encode(text);
        content
            .begin_text()
            .set_font(FONT_RES, 11.0)
            .next_line(60.0, 80.0 - 16.0 * i as f32)
            .show(Str(&bytes))
            .end_text();
    }
    let qr = qr_raster(&sheet.verify_url)?;
    let qr_size = 96.0;
    let (qx, qy) = (w - 60.0 - qr_size, 66.0);
    place(&mut content, QR_RES, qx, qy, qr_size, qr_size);
    images.push((QR_RES, &qr));
    let caption = glyphs.encode(&sheet.verify_caption);
    let caption_width = glyphs.width(&sheet.verify_caption, 8.0);
    content
        .begin_text()
        .set_font(FONT_RES, 8.0)
        .next_line(qx + (qr_size - caption_width) / 2.0, qy - 10.0)
        .show(Str(&caption))
        .end_text();

    write_document(w, h, &content.finish(), &glyphs, &images)
}

fn write_document(
    w: f32,
    h: f32,
    content: &[u8],
    glyphs: &Glyphs,
    images: &[(Name<'static>, &Raster)],
) -> anyhow::Result<Vec<u8>> {
    let catalog = Ref::new(1);
    let pages = Ref::new(2);
    let page = Ref::new(3);
    let contents = Ref::new(4);
    let type0 = Ref::new(5);
    let cid = Ref::new(6);
    let descriptor = Ref::new(7);
    let font_file = Ref::new(8);
    let to_unicode = Ref::new(9);
    // Each image takes two references: its pixels and its soft mask.
    let image_refs: Vec<(Ref, Ref)> = (0..images.len())
        .map(|i| {
            let base = 10 + 2 * i32::try_from(i).unwrap_or(0);
            (Ref::new(base), Ref::new(base + 1))
        })
        .collect();

    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(pages);
    pdf.pages(pages).kids([page]).count(1);
    let mut p = pdf.page(page);
    p.media_box(Rect::new(0.0, 0.0, w, h))
        .parent(pages)
        .contents(contents);
    let mut resources = p.resources();
    resources.fonts().pair(FONT_RES, type0);
    let mut x_objects = resources.x_objects();
    for ((name, _), (image, _)) in images.iter().zip(&image_refs) {
        x_objects.pair(*name, *image);
    }
    x_objects.finish();
    resources.finish();
    p.finish();
    pdf.stream(contents, &deflate(content)?)
        .filter(Filter::FlateDecode);

    let face = glyphs.face;
    let subset = subsetter::subset(FONT, 0, &glyphs.remapper)
        .map_err(|e| anyhow!("subsetting the certificate font: {e:?}"))?;
    let info = SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    };
    pdf.type0_font(type0)
        .base_font(Name(FONT_NAME))
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid)
        .to_unicode(to_unicode);
    let mut cid_font = pdf.cid_font(cid);
    cid_font
        .subtype(CidFontType::Type2)
        .base_font(Name(FONT_NAME))
        .system_info(info)
        .font_descriptor(descriptor)
        .default_width(1000.0)
        .cid_to_gid_map_predefined(Name(b"Identity"));
    let mut widths = cid_font.widths();
    for (cid, (_, advance)) in &glyphs.used {
        widths.consecutive(*cid, [*advance]);
    }
    widths.finish();
    cid_font.finish();

    let units = f32::from(face.units_per_em());
    let scale = |v: i16| f32::from(v) * 1000.0 / units;
    let bbox = face.global_bounding_box();
    pdf.font_descriptor(descriptor)
        .name(Name(FONT_NAME))
        .flags(FontFlags::SYMBOLIC)
        .bbox(Rect::new(
            scale(bbox.x_min),
            scale(bbox.y_min),
            scale(bbox.x_max),
            scale(bbox.y_max),
        ))
        .italic_angle(0.0)
        .ascent(scale(face.ascender()))
        .descent(scale(face.descender()))
        .cap_height(scale(face.capital_height().unwrap_or(face.ascender())))
        .stem_v(80.0)
        .font_file2(font_file);
    pdf.stream(font_file, &deflate(&subset)?)
        .filter(Filter::FlateDecode);

    let mut cmap = UnicodeCmap::new(Name(b"Custom"), info);
    for (cid, (c, _)) in &glyphs.used {
        cmap.pair(*cid, *c);
    }
    pdf.cmap(to_unicode, &cmap.finish());

    for ((_, raster), (image_ref, mask_ref)) in images.iter().zip(&image_refs) {
        let width = i32::try_from(raster.width)?;
        let height = i32::try_from(raster.height)?;
        let pixels = deflate(&raster.pixels)?;
        let mut image = pdf.image_xobject(*image_ref, &pixels);
        image.filter(Filter::FlateDecode);
        image
            .width(width)
            .height(height)
            .bits_per_component(8)
            .interpolate(raster.interpolate);
        if raster.grey {
            image.color_space().device_gray();
        } else {
            image.color_space().device_rgb();
        }
        if raster.alpha.is_some() {
            image.s_mask(*mask_ref);
        }
        image.finish();
        if let Some(alpha) = &raster.alpha {
            let alpha = deflate(alpha)?;
            let mut mask = pdf.image_xobject(*mask_ref, &alpha);
            mask.filter(Filter::FlateDecode);
            mask.width(width)
                .height(height)
                .bits_per_component(8)
                .interpolate(raster.interpolate);
            mask.color_space().device_gray();
            mask.finish();
        }
    }
    Ok(pdf.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_cjk_anywhere_and_latin_between_words() {
        let glyphs = Glyphs::new(face().unwrap());
        let lines = wrap(&glyphs, "passed the exam with a score of 95", 14.0, 120.0);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| !l.starts_with(' ')));
        assert_eq!(
            lines.concat().replace(' ', ""),
            "passedtheexamwithascoreof95"
        );
        let lines = wrap(&glyphs, "在本次考试中取得优异成绩特发此证", 14.0, 60.0);
        assert!(lines.len() > 1);
    }

    #[test]
    fn a_rendered_certificate_is_a_small_pdf() {
        let sheet = Sheet {
            orientation: Orientation::Landscape,
            org_name: "示例大学".into(),
            title: "结业证书".into(),
            holder_name: "张三丰".into(),
            body: "于 2026-12-07 通过 Rust 考试，成绩 95 分".into(),
            number: "EC-ABCD-EFGH-JKMN-PQRS".into(),
            issued_on: "2026-12-07".into(),
            verify_url: "https://exam.example.cn/verify/EC-ABCD-EFGH-JKMN-PQRS".into(),
            verify_caption: "扫码验证".into(),
            signatory: String::new(),
            logo: None,
            signature: None,
            background: None,
        };
        let bytes = render(&sheet).unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        assert!(bytes.len() < 200_000, "{} bytes", bytes.len());
    }
}
