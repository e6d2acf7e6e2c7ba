//! The augmented bonding curve (Commons spec §1, §2, §7).
//!
//! State: supply S, collateral reserve R, funding pool F and exponent κ, with the invariant
//! V = S^κ / R fixed at the hatch. Trades are computed in ratio form,
//! S' = S·(R'/R)^(1/κ) and R' = R·(S'/S)^κ, which is exactly the spec's formula for a fixed V but
//! cannot overflow (S^κ alone overflows f64 for large supplies and exponents) and keeps full
//! precision for trades that are tiny against the pool (via `log1p`/`expm1`).
//! All transcendental functions come from `libm`, so results are bit-identical natively and in wasm.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The curve's state. `funding_pool` never backs the curve.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct CurveState {
    /// Token supply S.
    pub supply: f64,
    /// Collateral reserve R, in DAI.
    pub reserve: f64,
    /// Funding pool F, in DAI.
    pub funding_pool: f64,
    /// Curve exponent κ.
    pub kappa: f64,
}

/// The hatch's terms.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Hatch {
    /// DAI raised from the hatchers, H.
    pub raise: f64,
    /// DAI per token paid by hatchers.
    pub price: f64,
    /// Share of the raise sent to the funding pool.
    pub tribute: f64,
    /// Curve exponent κ.
    pub kappa: f64,
}

/// Why a trade or hatch cannot be carried out.
#[derive(Clone, Debug, PartialEq)]
pub enum AbcError {
    /// An amount or parameter is NaN or infinite.
    NotFinite(&'static str),
    /// An amount is negative.
    Negative(&'static str),
    /// A parameter is outside the values the curve is defined for.
    Invalid(&'static str, &'static str),
    /// A burn of at least the whole supply (the curve would be left empty).
    BurnExceedsSupply { burn: f64, supply: f64 },
}

impl fmt::Display for AbcError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AbcError::NotFinite(what) => write!(f, "{what} must be a finite number"),
            AbcError::Negative(what) => write!(f, "{what} must not be negative"),
            AbcError::Invalid(what, why) => write!(f, "{what} {why}"),
            AbcError::BurnExceedsSupply { burn, supply } => write!(
                f,
                "cannot burn {} tokens: the supply is {} and a burn must leave some on the curve",
                crate::format::human(*burn, 8, false),
                crate::format::human(*supply, 8, false)
            ),
        }
    }
}

impl std::error::Error for AbcError {}

fn check_amount(x: f64, what: &'static str) -> Result<(), AbcError> {
    if !x.is_finite() {
        Err(AbcError::NotFinite(what))
    } else if x < 0.0 {
        Err(AbcError::Negative(what))
    } else {
        Ok(())
    }
}

/// The result of a buy (a deposit of DAI).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Buy {
    pub deposit: f64,
    /// Entry tribute: t_in × deposit, sent to the funding pool.
    pub to_funding: f64,
    /// The rest of the deposit, added to the reserve.
    pub to_reserve: f64,
    pub minted: f64,
    pub spot_before: f64,
    pub spot_after: f64,
}

/// The result of a sell (a burn of tokens).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sell {
    pub burned: f64,
    /// DAI taken out of the reserve.
    pub released: f64,
    /// (1 − t_out) × released, paid to the seller.
    pub to_seller: f64,
    /// Exit tribute: t_out × released, sent to the funding pool.
    pub to_funding: f64,
    pub spot_before: f64,
    pub spot_after: f64,
}

impl CurveState {
    /// The state right after the hatch: S₀ = H / price, R₀ = (1 − tribute)·H, F₀ = tribute·H.
    pub fn hatch(h: &Hatch) -> Result<Self, AbcError> {
        for (x, what) in [
            (h.raise, "hatch raise"),
            (h.price, "hatch price"),
            (h.tribute, "hatch tribute"),
            (h.kappa, "kappa"),
        ] {
            check_amount(x, what)?;
        }
        if h.raise <= 0.0 {
            return Err(AbcError::Invalid("hatch raise", "must be positive"));
        }
        if h.price <= 0.0 {
            return Err(AbcError::Invalid("hatch price", "must be positive"));
        }
        if h.tribute >= 1.0 {
            return Err(AbcError::Invalid(
                "hatch tribute",
                "must be below 1 (the reserve would be empty)",
            ));
        }
        if h.kappa < 1.0 {
            return Err(AbcError::Invalid("kappa", "must be at least 1"));
        }
        Ok(CurveState {
            supply: h.raise / h.price,
            reserve: (1.0 - h.tribute) * h.raise,
            funding_pool: h.tribute * h.raise,
            kappa: h.kappa,
        })
    }

    /// Spot price P = κ·R/S (DAI per token).
    pub fn spot_price(&self) -> f64 {
        self.kappa * self.reserve / self.supply
    }

    /// ln V, where V = S^κ / R is the invariant (V itself overflows for large curves).
    pub fn ln_invariant(&self) -> f64 {
        self.kappa * libm::log(self.supply) - libm::log(self.reserve)
    }

    /// The invariant V = S^κ / R (may be infinite for large curves; see [`Self::ln_invariant`]).
    pub fn invariant(&self) -> f64 {
        libm::exp(self.ln_invariant())
    }

    /// The reserve the curve holds at supply `s`: R(s) = s^κ / V.
    pub fn reserve_at(&self, s: f64) -> f64 {
        self.reserve * libm::pow(s / self.supply, self.kappa)
    }

    /// The spot price at supply `s` on this curve: P(s) = κ·s^(κ−1) / V.
    pub fn price_at(&self, s: f64) -> f64 {
        self.spot_price() * libm::pow(s / self.supply, self.kappa - 1.0)
    }

    /// The supply at which the curve holds reserve `r`: S(r) = (V·r)^(1/κ).
    pub fn supply_at(&self, r: f64) -> f64 {
        self.supply * libm::pow(r / self.reserve, 1.0 / self.kappa)
    }

    /// What a deposit of `deposit` DAI with entry tribute `entry_tribute` would do.
    pub fn preview_buy(&self, deposit: f64, entry_tribute: f64) -> Result<Buy, AbcError> {
        check_amount(deposit, "deposit")?;
        check_amount(entry_tribute, "entry tribute")?;
        if entry_tribute > 1.0 {
            return Err(AbcError::Invalid("entry tribute", "must be at most 1"));
        }
        let to_funding = entry_tribute * deposit;
        let to_reserve = deposit - to_funding;
        // minted = (V·(R + d'))^(1/κ) − S = S·((1 + d'/R)^(1/κ) − 1)
        let minted = self.supply * libm::expm1(libm::log1p(to_reserve / self.reserve) / self.kappa);
        let after = CurveState {
            supply: self.supply + minted,
            reserve: self.reserve + to_reserve,
            funding_pool: self.funding_pool + to_funding,
            kappa: self.kappa,
        };
        if !after.supply.is_finite() || !after.reserve.is_finite() {
            return Err(AbcError::NotFinite("deposit"));
        }
        Ok(Buy {
            deposit,
            to_funding,
            to_reserve,
            minted,
            spot_before: self.spot_price(),
            spot_after: after.spot_price(),
        })
    }

    /// Carries out a buy.
    pub fn buy(&mut self, deposit: f64, entry_tribute: f64) -> Result<Buy, AbcError> {
        let b = self.preview_buy(deposit, entry_tribute)?;
        self.supply += b.minted;
        self.reserve += b.to_reserve;
        self.funding_pool += b.to_funding;
        Ok(b)
    }

    /// What burning `burn` tokens with exit tribute `exit_tribute` would do.
    pub fn preview_sell(&self, burn: f64, exit_tribute: f64) -> Result<Sell, AbcError> {
        check_amount(burn, "burn")?;
        check_amount(exit_tribute, "exit tribute")?;
        if exit_tribute > 1.0 {
            return Err(AbcError::Invalid("exit tribute", "must be at most 1"));
        }
        if burn >= self.supply {
            return Err(AbcError::BurnExceedsSupply {
                burn,
                supply: self.supply,
            });
        }
        // released = R − (S − b)^κ / V = R·(1 − (1 − b/S)^κ)
        let released = -self.reserve * libm::expm1(self.kappa * libm::log1p(-burn / self.supply));
        let released = released.min(self.reserve);
        let to_funding = exit_tribute * released;
        let to_seller = released - to_funding;
        let after = CurveState {
            supply: self.supply - burn,
            reserve: self.reserve - released,
            funding_pool: self.funding_pool + to_funding,
            kappa: self.kappa,
        };
        Ok(Sell {
            burned: burn,
            released,
            to_seller,
            to_funding,
            spot_before: self.spot_price(),
            spot_after: after.spot_price(),
        })
    }

    /// Carries out a sell.
    pub fn sell(&mut self, burn: f64, exit_tribute: f64) -> Result<Sell, AbcError> {
        let s = self.preview_sell(burn, exit_tribute)?;
        self.supply -= burn;
        self.reserve -= s.released;
        self.funding_pool += s.to_funding;
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs().max(1e-300)
    }

    /// Spec §7's tolerance: 1e-6 relative.
    fn assert_close(actual: f64, expected: f64, what: String) {
        assert!(
            close(actual, expected, 1e-6),
            "{what}: got {actual}, spec says {expected}"
        );
    }

    fn spec_hatch() -> CurveState {
        CurveState::hatch(&Hatch {
            raise: 1_000_000.0,
            price: 0.1,
            tribute: 0.2,
            kappa: 2.0,
        })
        .unwrap()
    }

    #[test]
    fn hatch_matches_spec_section_7() {
        let s = spec_hatch();
        assert!(close(s.supply, 1e7, 1e-12));
        assert!(close(s.reserve, 800_000.0, 1e-12));
        assert!(close(s.funding_pool, 200_000.0, 1e-12));
        assert!(close(s.invariant(), 1.25e8, 1e-9));
        assert!(close(s.spot_price(), 0.16, 1e-12));
    }

    /// Spec §7, deposits from the fresh state: (deposit, minted, spot after).
    const BUYS: [(f64, f64, f64); 3] = [
        (100.0, 624.98046997, 0.16001000),
        (10_000.0, 62_305.89874905, 0.16099689),
        (1_000_000.0, 5_000_000.0, 0.24),
    ];

    /// Spec §7, burns from the fresh state with exit tribute 0.35:
    /// (burned, released, to seller, to funding, spot after).
    const SELLS: [(f64, f64, f64, f64, f64); 3] = [
        (1_000.0, 159.992, 103.9948, 55.9972, 0.159984),
        (100_000.0, 15_920.0, 10_348.0, 5_572.0, 0.1584),
        (5_000_000.0, 600_000.0, 390_000.0, 210_000.0, 0.08),
    ];

    #[test]
    fn golden_buys_spec_section_7() {
        for (deposit, minted, spot_after) in BUYS {
            let b = spec_hatch().preview_buy(deposit, 0.0).unwrap();
            assert_close(b.minted, minted, format!("deposit {deposit}: minted"));
            assert_close(b.spot_after, spot_after, format!("deposit {deposit}: spot"));
            assert_eq!(b.to_funding, 0.0);
        }
    }

    #[test]
    fn golden_sells_spec_section_7() {
        for (burn, released, seller, funding, spot_after) in SELLS {
            let s = spec_hatch().preview_sell(burn, 0.35).unwrap();
            assert_close(s.released, released, format!("burn {burn}: released"));
            assert_close(s.to_seller, seller, format!("burn {burn}: seller"));
            assert_close(s.to_funding, funding, format!("burn {burn}: funding"));
            assert_close(s.spot_after, spot_after, format!("burn {burn}: spot"));
        }
    }

    #[test]
    fn golden_normalised_curve() {
        let unit = CurveState {
            supply: 1.0,
            reserve: 1.0,
            funding_pool: 0.0,
            kappa: 2.0,
        };
        assert!(close(unit.spot_price(), 2.0, 1e-12));
        let mints = [
            (0.5, 0.2247449),
            (1.0, 0.4142136),
            (2.0, 0.7320508),
            (4.0, 1.2360680),
            (8.0, 2.0),
        ];
        for (d, m) in mints {
            assert!(
                close(unit.preview_buy(d, 0.0).unwrap().minted, m, 1e-6),
                "deposit {d}"
            );
        }
        let burns = [
            (0.1, 0.19),
            (0.25, 0.4375),
            (0.5, 0.75),
            (0.75, 0.9375),
            (0.9, 0.99),
        ];
        for (b, r) in burns {
            assert!(
                close(unit.preview_sell(b, 0.0).unwrap().released, r, 1e-6),
                "burn {b}"
            );
        }
    }

    #[test]
    fn entry_tribute_goes_to_funding_pool() {
        let mut s = spec_hatch();
        let b = s.buy(10_000.0, 0.1).unwrap();
        assert!(close(b.to_funding, 1_000.0, 1e-12));
        assert!(close(b.to_reserve, 9_000.0, 1e-12));
        assert!(close(s.funding_pool, 201_000.0, 1e-12));
        assert!(close(s.reserve, 809_000.0, 1e-12));
        // The reserve and the supply stay on the curve: V unchanged.
        assert!(close(s.invariant(), 1.25e8, 1e-9));
    }

    #[test]
    fn bad_amounts_are_errors_not_panics() {
        let s = spec_hatch();
        assert!(matches!(
            s.preview_buy(f64::NAN, 0.0),
            Err(AbcError::NotFinite(_))
        ));
        assert!(matches!(
            s.preview_buy(-1.0, 0.0),
            Err(AbcError::Negative(_))
        ));
        assert!(matches!(
            s.preview_sell(1e7, 0.35),
            Err(AbcError::BurnExceedsSupply { .. })
        ));
        assert!(matches!(
            s.preview_sell(f64::INFINITY, 0.35),
            Err(AbcError::NotFinite(_))
        ));
        assert!(CurveState::hatch(&Hatch {
            raise: 1.0,
            price: 0.1,
            tribute: 1.0,
            kappa: 2.0
        })
        .is_err());
    }

    #[test]
    fn large_curves_do_not_overflow() {
        let s = CurveState::hatch(&Hatch {
            raise: 1e12,
            price: 1e-4,
            tribute: 0.2,
            kappa: 20.0,
        })
        .unwrap();
        let b = s.preview_buy(1e9, 0.0).unwrap();
        assert!(b.minted.is_finite() && b.minted > 0.0);
        assert!(s.ln_invariant().is_finite());
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn curve() -> impl Strategy<Value = CurveState> {
        (1e3f64..1e9, 1e-3f64..10.0, 0.0f64..0.9, 1.0f64..6.0).prop_map(
            |(raise, price, tribute, kappa)| {
                CurveState::hatch(&Hatch {
                    raise,
                    price,
                    tribute,
                    kappa,
                })
                .unwrap()
            },
        )
    }

    proptest! {
        #[test]
        fn buy_then_sell_minted_restores_state(c in curve(), frac in 1e-9f64..100.0) {
            let deposit = frac * c.reserve;
            let mut s = c;
            let b = s.buy(deposit, 0.0).unwrap();
            s.sell(b.minted, 0.0).unwrap();
            prop_assert!((s.supply - c.supply).abs() <= 1e-9 * c.supply);
            prop_assert!((s.reserve - c.reserve).abs() <= 1e-9 * c.reserve);
            prop_assert_eq!(s.funding_pool, c.funding_pool);
        }

        #[test]
        fn reserve_never_negative(c in curve(), burns in proptest::collection::vec(0.0f64..0.999, 1..20)) {
            let mut s = c;
            for f in burns {
                let sell = s.sell(f * s.supply, 0.35).unwrap();
                prop_assert!(sell.released >= 0.0);
                prop_assert!(s.reserve >= 0.0, "reserve {}", s.reserve);
                prop_assert!(s.supply > 0.0);
                prop_assert!(sell.to_seller >= 0.0 && sell.to_funding >= 0.0);
            }
        }

        #[test]
        fn price_rises_with_supply(c in curve(), a in 0.01f64..10.0, b in 0.01f64..10.0) {
            prop_assume!(a != b);
            let (lo, hi) = if a < b { (a, b) } else { (b, a) };
            let (p_lo, p_hi) = (c.price_at(lo * c.supply), c.price_at(hi * c.supply));
            if c.kappa > 1.0 {
                prop_assert!(p_hi > p_lo, "κ={} P({lo})={p_lo} P({hi})={p_hi}", c.kappa);
            } else {
                prop_assert!(p_hi >= p_lo);
            }
        }

        #[test]
        fn buys_raise_and_sells_lower_the_spot_price(c in curve(), frac in 1e-6f64..10.0) {
            prop_assume!(c.kappa > 1.0);
            let b = c.preview_buy(frac * c.reserve, 0.0).unwrap();
            prop_assert!(b.spot_after > b.spot_before);
            let s = c.preview_sell(frac.min(0.99) * c.supply, 0.35).unwrap();
            prop_assert!(s.spot_after < s.spot_before);
        }

        #[test]
        fn money_is_conserved(c in curve(), d in 0.0f64..1e9, t_in in 0.0f64..1.0, f in 0.0f64..0.99, t_out in 0.0f64..1.0) {
            let mut s = c;
            let b = s.buy(d, t_in).unwrap();
            let total_before = c.reserve + c.funding_pool + d;
            prop_assert!((s.reserve + s.funding_pool - total_before).abs() <= 1e-9 * total_before);
            prop_assert!((b.to_funding + b.to_reserve - d).abs() <= 1e-9 * d.max(1.0));
            let before = s;
            let sell = s.sell(f * s.supply, t_out).unwrap();
            let lhs = s.reserve + s.funding_pool + sell.to_seller;
            let rhs = before.reserve + before.funding_pool;
            prop_assert!((lhs - rhs).abs() <= 1e-9 * rhs);
        }
    }
}
