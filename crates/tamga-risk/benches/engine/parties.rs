//! The parties of the benchmark's declarations: Uzbek traders and brokers, foreign exporters,
//! named from word lists so that names look like company names and stay distinct.

#[derive(Debug, Clone)]
pub struct Party {
    pub id: String,
    pub name: String,
}

#[rustfmt::skip]
const UZ_PLACES: [&str; 25] = [
    "Samarqand", "Buxoro", "Toshkent", "Fargona", "Andijon", "Namangan", "Xorazm", "Navoiy",
    "Qarshi", "Termiz", "Jizzax", "Guliston", "Nukus", "Chirchiq", "Olmaliq", "Margilon", "Qoqon",
    "Urganch", "Denov", "Shahrisabz", "Angren", "Bekobod", "Zarafshon", "Chust", "Kogon",
];
#[rustfmt::skip]
const UZ_TRADES: [&str; 20] = [
    "Savdo", "Invest", "Trans", "Logistik", "Tekstil", "Agro", "Tech", "Build", "Oziq Ovqat",
    "Kimyo", "Elektro", "Avto", "Med", "Plast", "Metall", "Mebel", "Qurilish", "Import", "Ekspo",
    "Servis",
];
#[rustfmt::skip]
const UZ_FORMS: [&str; 5] = [
    "MChJ", "AJ", "XK", "QK", "LLC",
];
#[rustfmt::skip]
const UZ_FAMILIES: [&str; 20] = [
    "Karimov", "Rashidov", "Yusupov", "Aliyev", "Nazarov", "Tursunov", "Ismoilov", "Saidov",
    "Ergashev", "Xolmatov", "Qodirov", "Sobirov", "Mirzayev", "Abdullayev", "Hamidov", "Usmonov",
    "Raximov", "Zokirov", "Jorayev", "Bakirov",
];
#[rustfmt::skip]
const CITIES: [&str; 25] = [
    "Shanghai", "Shenzhen", "Ningbo", "Guangzhou", "Yiwu", "Busan", "Incheon", "Osaka", "Nagoya",
    "Hamburg", "Milano", "Lyon", "Hanoi", "Saigon", "Penang", "Bangkok", "Taipei", "Mumbai",
    "Dubai", "Istanbul", "Chicago", "Houston", "Rotterdam", "Singapore", "Kowloon",
];
#[rustfmt::skip]
const GOODS: [&str; 15] = [
    "Electronics", "Machinery", "Textile", "Chemical", "Plastics", "Auto Parts", "Furniture",
    "Food", "Medical", "Steel", "Optical", "Toys", "Cosmetics", "Tools", "Paper",
];
#[rustfmt::skip]
const FORMS: [&str; 10] = [
    "Co., Ltd.", "Export Co.", "Trading Co.", "GmbH", "S.p.A.", "Ltd.", "Inc.", "Industries",
    "Corp.", "Group",
];
#[rustfmt::skip]
const FAMILIES: [&str; 20] = [
    "Wang", "Li", "Zhang", "Chen", "Liu", "Park", "Tanaka", "Suzuki", "Weber", "Schmidt", "Rossi",
    "Nguyen", "Tran", "Patel", "Mehta", "Yilmaz", "Miller", "Brown", "Moreau", "Huang",
];

/// The `i`-th name of a mixed-radix sequence of word lists: distinct for distinct `i` below the
/// product of the lengths.
fn compose(mut i: usize, words: &[&[&str]]) -> String {
    let mut out = Vec::new();
    for list in words {
        out.push(list[i % list.len()]);
        i /= list.len();
    }
    out.join(" ")
}

pub fn uz_name(i: usize) -> String {
    let [a, b, c] = [&UZ_PLACES[..], &UZ_TRADES[..], &UZ_FORMS[..]];
    compose(i, &[a, b, c])
}

/// A trader never seen before: `i` below 50,000.
pub fn fresh_uz(i: usize) -> Party {
    let name = compose(i, &[&UZ_PLACES, &UZ_FAMILIES, &UZ_TRADES, &UZ_FORMS]);
    Party {
        id: format!("UZ4{i:08}"),
        name,
    }
}

/// An exporter never seen before: `i` below 75,000.
pub fn fresh_foreign(i: usize) -> Party {
    let name = compose(i, &[&CITIES, &FAMILIES, &GOODS, &FORMS]);
    Party {
        id: format!("X{i:08}"),
        name,
    }
}

pub fn seller_party(seller: &str) -> Party {
    let h = seller.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    let name = compose((h % 3750) as usize, &[&CITIES, &GOODS, &FORMS]);
    Party {
        id: seller.to_owned(),
        name,
    }
}
