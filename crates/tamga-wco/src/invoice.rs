//! The invoice of a declaration that gives no `InvoiceAmount` (it is optional in DEC-DMS): the
//! total of its items' `ItemChargeAmount`, in the currency they all carry.

use rust_decimal::Decimal;
use tamga_core::draft::{DecimalText, InvoiceDraft};
use tamga_core::FieldError;

use crate::xml::Node;

/// Each goods item's price: its `currencyID` and amount text, in item order.
fn prices(shipment: &Node) -> Vec<(Option<&str>, &str)> {
    shipment
        .all("GovernmentAgencyGoodsItem")
        .filter_map(|g| g.at(&["Commodity", "InvoiceLine", "ItemChargeAmount"]))
        .filter(|a| !a.text.is_empty())
        .map(|a| (a.attribute("currencyID"), a.text.as_str()))
        .collect()
}

/// The invoice the item prices make, when every priced item names one and the same currency.
/// The amount is their sum; when a price is not a number, the amount is left out and
/// validation names that price.
pub fn from_item_prices(shipment: &Node) -> Option<InvoiceDraft> {
    let prices = prices(shipment);
    let (first, _) = prices.first()?;
    let currency = (*first)?;
    if prices.iter().any(|(c, _)| *c != Some(currency)) {
        return None;
    }
    let total: Option<Decimal> = prices
        .iter()
        .map(|(_, amount)| amount.parse::<Decimal>().ok())
        .try_fold(Decimal::ZERO, |sum, a| sum.checked_add(a?));
    Some(InvoiceDraft {
        currency: Some(currency.to_owned()),
        amount: total.map(|t| DecimalText(t.normalize().to_string())),
    })
}

/// Without an `InvoiceAmount`, items priced in different currencies (or some without one)
/// have no total: each price that differs from the first item's currency is named.
pub fn mixed_currencies(declaration: &Node) -> Vec<FieldError> {
    if declaration.child("InvoiceAmount").is_some() {
        return Vec::new();
    }
    let Some(shipment) = declaration.child("GoodsShipment") else {
        return Vec::new();
    };
    let priced: Vec<(usize, Option<&str>)> = shipment
        .all("GovernmentAgencyGoodsItem")
        .enumerate()
        .filter_map(|(i, g)| {
            let amount = g.at(&["Commodity", "InvoiceLine", "ItemChargeAmount"])?;
            (!amount.text.is_empty()).then(|| (i, amount.attribute("currencyID")))
        })
        .collect();
    let Some((j, first)) = priced.iter().find_map(|(j, c)| c.map(|c| (*j, c))) else {
        return Vec::new();
    };
    priced
        .iter()
        .filter(|(_, c)| *c != Some(first))
        .map(|(i, c)| {
            let found = c.unwrap_or("no currency");
            let message = format!(
                "without an InvoiceAmount the item prices make the invoice, so they share one currency: item {} is in {first}, this one in {found}",
                j + 1
            );
            FieldError::new(format!("/items/{i}/price"), "invoice_currency_mixed", message)
        })
        .collect()
}
