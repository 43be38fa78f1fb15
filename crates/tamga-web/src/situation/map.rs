//! The region's map, drawn on the server as SVG: country outlines from Natural Earth (1:50m,
//! `assets/geo/`, embedded) in a simple equirectangular projection over the box around every
//! customs office, with the longitude scaled by the cosine of the box's middle latitude. The
//! outlines are projected once, clamped to a margin around the view, and thinned to points at
//! least a pixel apart, so the page carries a few kilobytes of paths, not the source file.

use std::sync::OnceLock;

use tamga_core::refdata::ReferenceData;

const GEOJSON: &str = include_str!("../../assets/geo/central-asia-50m.geojson");
/// The width of the map in SVG units; the height follows from the region's proportions.
pub const WIDTH: f64 = 800.0;
/// Degrees of margin around the offices.
const PAD: f64 = 1.5;
/// The five Central Asian countries, drawn darker than their neighbours.
const REGION: [&str; 5] = ["UZ", "KZ", "KG", "TJ", "TM"];

/// The projection of the region's box onto the map.
#[derive(Debug, Clone, Copy)]
pub struct Projection {
    west: f64,
    north: f64,
    scale_x: f64,
    scale_y: f64,
    pub height: f64,
}

impl Projection {
    /// The box around every office with coordinates, padded.
    fn of_offices(data: &ReferenceData) -> Projection {
        let points = data
            .offices
            .iter()
            .filter_map(|o| Some((o.longitude?, o.latitude?)));
        let (mut west, mut east, mut south, mut north) = (180.0, -180.0, 90.0, -90.0);
        for (lon, lat) in points {
            west = f64::min(west, lon);
            east = f64::max(east, lon);
            south = f64::min(south, lat);
            north = f64::max(north, lat);
        }
        let (west, east, south, north) = (west - PAD, east + PAD, south - PAD, north + PAD);
        let cos = ((south + north) / 2.0).to_radians().cos();
        let scale_x = WIDTH / (east - west);
        let scale_y = scale_x / cos;
        Projection {
            west,
            north,
            scale_x,
            scale_y,
            height: ((north - south) * scale_y).round(),
        }
    }

    /// Map coordinates of a longitude and latitude.
    pub fn point(&self, lon: f64, lat: f64) -> (f64, f64) {
        (
            (lon - self.west) * self.scale_x,
            (self.north - lat) * self.scale_y,
        )
    }
}

/// A country's outline as SVG path data.
#[derive(Debug, Clone)]
pub struct Country {
    pub code: String,
    pub name: String,
    pub in_region: bool,
    pub path: String,
}

/// The projection and the outlines, computed on first use.
pub fn map() -> &'static (Projection, Vec<Country>) {
    static MAP: OnceLock<(Projection, Vec<Country>)> = OnceLock::new();
    MAP.get_or_init(|| {
        let projection = Projection::of_offices(ReferenceData::embedded());
        (projection, countries(&projection))
    })
}

fn countries(projection: &Projection) -> Vec<Country> {
    let Ok(collection) = serde_json::from_str::<serde_json::Value>(GEOJSON) else {
        return Vec::new();
    };
    let features = collection["features"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    features
        .iter()
        .map(|f| {
            let code = f["properties"]["iso_a2"].as_str().unwrap_or("").to_owned();
            Country {
                in_region: REGION.contains(&code.as_str()),
                name: f["properties"]["name"].as_str().unwrap_or("").to_owned(),
                path: outline(projection, &f["geometry"]),
                code,
            }
        })
        .filter(|c| !c.path.is_empty())
        .collect()
}

/// Path data of a Polygon or MultiPolygon; rings entirely outside the view are left out.
fn outline(projection: &Projection, geometry: &serde_json::Value) -> String {
    let polygons = match geometry["type"].as_str() {
        Some("Polygon") => vec![geometry["coordinates"].clone()],
        Some("MultiPolygon") => geometry["coordinates"]
            .as_array()
            .cloned()
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let mut path = String::new();
    for ring in polygons.iter().filter_map(|p| p.as_array()).flatten() {
        path.push_str(&ring_path(projection, ring));
    }
    path
}

fn ring_path(projection: &Projection, ring: &serde_json::Value) -> String {
    let points: Vec<(f64, f64)> = ring
        .as_array()
        .map(|pts| {
            pts.iter()
                .filter_map(|p| Some(projection.point(p[0].as_f64()?, p[1].as_f64()?)))
                .collect()
        })
        .unwrap_or_default();
    let (w, h) = (WIDTH, projection.height);
    let visible = points
        .iter()
        .any(|(x, y)| (0.0..=w).contains(x) && (0.0..=h).contains(y));
    if !visible {
        return String::new();
    }
    let mut kept: Vec<(i64, i64)> = Vec::new();
    for (x, y) in points {
        // Clamped to a margin outside the view: what lies beyond is never seen.
        let p = (
            x.clamp(-10.0, w + 10.0).round() as i64,
            y.clamp(-10.0, h + 10.0).round() as i64,
        );
        match kept.as_slice() {
            [.., last] if *last == p => {}
            // A straight horizontal or vertical run (the clamped margin) keeps its ends only.
            [.., a, b] if (a.0 == b.0 && b.0 == p.0) || (a.1 == b.1 && b.1 == p.1) => {
                if let Some(last) = kept.last_mut() {
                    *last = p;
                }
            }
            _ => kept.push(p),
        }
    }
    if kept.len() < 3 {
        return String::new();
    }
    let mut path = String::with_capacity(kept.len() * 8);
    for (i, (x, y)) in kept.iter().enumerate() {
        path.push_str(&format!("{}{x} {y}", if i == 0 { "M" } else { "L" }));
    }
    path.push('Z');
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_outlines_are_small_and_every_office_is_inside_the_view() {
        let (projection, countries) = map();
        let bytes: usize = countries.iter().map(|c| c.path.len()).sum();
        assert!(bytes < 60_000, "the outlines take {bytes} bytes");
        assert!(countries.iter().filter(|c| c.in_region).count() == 5);
        for office in ReferenceData::embedded().offices.iter() {
            let (Some(lon), Some(lat)) = (office.longitude, office.latitude) else {
                continue;
            };
            let (x, y) = projection.point(lon, lat);
            assert!((0.0..=WIDTH).contains(&x) && (0.0..=projection.height).contains(&y));
        }
    }
}
