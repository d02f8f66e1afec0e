//! A user's existing money type, used in place of the spec's `Money`
//! schema (`replace = { Money = "::money::Money" }`). Its fields differ
//! from the schema's (cents as an integer); its serde form is the schema's
//! (`{"amount": "12.50", "currency": "EUR"}`), which is all the generator
//! relies on.

use std::fmt;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An amount in cents of a currency.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Money {
    /// The amount in hundredths.
    pub cents: i64,
    /// ISO 4217 code.
    pub currency: String,
}

#[derive(Serialize, Deserialize)]
struct Wire {
    amount: String,
    currency: String,
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.cents < 0 { "-" } else { "" };
        let c = self.cents.unsigned_abs();
        write!(f, "{sign}{}.{:02}", c / 100, c % 100)
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Wire {
            amount: self.to_string(),
            currency: self.currency.clone(),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let wire = Wire::deserialize(d)?;
        let (sign, digits) = match wire.amount.strip_prefix('-') {
            Some(rest) => (-1, rest),
            None => (1, wire.amount.as_str()),
        };
        let (units, hundredths) = digits.split_once('.').unwrap_or((digits, "00"));
        if hundredths.len() != 2 {
            return Err(D::Error::custom("amount: two decimals expected"));
        }
        let units: i64 = units.parse().map_err(D::Error::custom)?;
        let hundredths: i64 = hundredths.parse().map_err(D::Error::custom)?;
        Ok(Money {
            cents: sign * (units * 100 + hundredths),
            currency: wire.currency,
        })
    }
}
