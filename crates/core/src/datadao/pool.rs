//! The dataDAO's constant-product pool of dDT and xDAI (spec §1): swaps with a fee that goes to a
//! fee pot outside the reserves, liquidity shares, and fee collection.

use serde::{Deserialize, Serialize};

/// How collected fees leave the pot (spec §1, switch `fee_pot`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeePot {
    /// A collector takes its pro-rata share; the pot decreases by the payout.
    ProRata,
    /// The reference: the first collector takes its share and the pot is emptied.
    Original,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pool {
    /// dDT reserve.
    pub ddt: f64,
    /// xDAI reserve.
    pub xdai: f64,
    /// Swap fees (xDAI on buys, also xDAI on sells: the fee is taken from the xDAI paid out)
    /// waiting to be collected by liquidity providers.
    pub fee_pot: f64,
    pub total_shares: f64,
    pub fee_rate: f64,
    /// Every fee paid into the pot so far (a step's fees: the protocol's revenue).
    #[serde(default)]
    pub fees_total: f64,
}

impl Pool {
    pub fn new(fee_rate: f64) -> Pool {
        Pool {
            ddt: 0.0,
            xdai: 0.0,
            fee_pot: 0.0,
            total_shares: 0.0,
            fee_rate,
            fees_total: 0.0,
        }
    }

    /// xDAI per dDT; 1.0 while the pool holds no dDT.
    pub fn price(&self) -> f64 {
        if self.ddt == 0.0 {
            1.0
        } else {
            self.xdai / self.ddt
        }
    }

    /// The product of the reserves.
    pub fn k(&self) -> f64 {
        self.ddt * self.xdai
    }

    /// Buys dDT with `x` xDAI; returns the dDT bought. A no-op returning 0 if the pool holds no
    /// dDT, x = 0, or the trade is too small to give anything.
    pub fn buy(&mut self, x: f64) -> f64 {
        if self.ddt == 0.0 || x == 0.0 {
            return 0.0;
        }
        let fee = self.fee_rate * x;
        let k = self.ddt * self.xdai;
        let new_xdai = self.xdai + (x - fee);
        let new_ddt = at_least(k / new_xdai, k, new_xdai);
        let out = self.ddt - new_ddt;
        if out <= 0.0 {
            // Dust: the trade would give nothing, so it does not happen.
            return 0.0;
        }
        self.ddt = new_ddt;
        self.xdai = new_xdai;
        self.fee_pot += fee;
        self.fees_total += fee;
        out
    }

    /// Sells `d` dDT; returns the xDAI paid to the seller. A no-op returning 0 if the pool holds no
    /// xDAI, d = 0, or the trade is too small to pay anything.
    pub fn sell(&mut self, d: f64) -> f64 {
        if self.xdai == 0.0 || d == 0.0 {
            return 0.0;
        }
        let k = self.ddt * self.xdai;
        let new_ddt = self.ddt + d;
        let new_xdai = at_least(k / new_ddt, k, new_ddt);
        let gross = self.xdai - new_xdai;
        let fee = self.fee_rate * gross;
        if gross - fee <= 0.0 {
            // Dust: the trade would pay nothing, so it does not happen.
            return 0.0;
        }
        self.ddt = new_ddt;
        self.xdai = new_xdai;
        self.fee_pot += fee;
        self.fees_total += fee;
        gross - fee
    }

    /// Adds `a` dDT and `b` xDAI as given (no ratio check); returns the shares minted.
    pub fn add_liquidity(&mut self, a: f64, b: f64) -> f64 {
        let shares = if self.ddt == 0.0 {
            a
        } else {
            a * self.total_shares / self.ddt
        };
        self.ddt += a;
        self.xdai += b;
        self.total_shares += shares;
        shares
    }

    /// A zap: buys dDT with `x` xDAI, then adds the dDT bought with xDAI at the new ratio (at most
    /// `max_b`). Returns (dDT bought, xDAI added, shares). The ratio's reciprocal, x′ / k, is
    /// computed alongside the purchase's division rather than after it.
    pub fn zap(&mut self, x: f64, max_b: f64) -> (f64, f64, f64) {
        if self.ddt == 0.0 || x == 0.0 {
            return (0.0, 0.0, 0.0);
        }
        let fee = self.fee_rate * x;
        let k = self.ddt * self.xdai;
        let new_xdai = self.xdai + (x - fee);
        let new_ddt = at_least(k / new_xdai, k, new_xdai);
        let per_ddt = new_xdai / k;
        let got = self.ddt - new_ddt;
        if got <= 0.0 {
            // Dust: nothing would be bought, so nothing happens.
            return (0.0, 0.0, 0.0);
        }
        self.ddt = new_ddt;
        self.xdai = new_xdai;
        self.fee_pot += fee;
        self.fees_total += fee;
        let b = (got * self.xdai * per_ddt).min(max_b);
        let shares = got * self.total_shares * per_ddt;
        self.ddt += got;
        self.xdai += b;
        self.total_shares += shares;
        (got, b, shares)
    }

    /// An outside trade that moves the price by `factor`, the product of the reserves kept (a
    /// stress scenario's shock; no fee). Nothing happens to an empty pool.
    pub fn move_price(&mut self, factor: f64) {
        if self.ddt <= 0.0 || self.xdai <= 0.0 || factor.is_nan() || factor <= 0.0 {
            return;
        }
        let k = self.ddt * self.xdai;
        let target = self.price() * factor;
        self.ddt = libm::sqrt(k / target);
        self.xdai = k / self.ddt;
    }

    /// Pays a provider holding `shares` its part of the fee pot.
    pub fn collect_fees(&mut self, shares: f64, mode: FeePot) -> f64 {
        if shares <= 0.0 || self.total_shares <= 0.0 || self.fee_pot == 0.0 {
            return 0.0;
        }
        let payout = self.fee_pot * shares / self.total_shares;
        match mode {
            FeePot::ProRata => self.fee_pot -= payout,
            FeePot::Original => self.fee_pot = 0.0,
        }
        payout
    }
}

/// `q` = k / other, nudged up by one unit in the last place if rounding left q × other below k:
/// swaps round in the pool's favour, so k never decreases across a trade.
fn at_least(q: f64, k: f64, other: f64) -> f64 {
    if q * other < k && q.is_finite() && q > 0.0 {
        // The next larger double (q is positive and finite here).
        f64::from_bits(q.to_bits() + 1)
    } else {
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_pool_prices_at_one_and_refuses_swaps() {
        let mut p = Pool::new(0.003);
        assert_eq!(p.price(), 1.0);
        assert_eq!(p.buy(10.0), 0.0);
        assert_eq!(p.sell(10.0), 0.0);
        assert_eq!(p, Pool::new(0.003));
    }

    #[test]
    fn swaps_keep_k_and_pay_the_fee_to_the_pot() {
        let mut p = Pool::new(0.003);
        assert_eq!(p.add_liquidity(100.0, 50.0), 100.0);
        let k = p.k();
        let got = p.sell(10.0);
        // gross = 50 − 5000/110; the seller gets 99.7% of it.
        let gross = 50.0 - 5000.0 / 110.0;
        assert!((got - 0.997 * gross).abs() < 1e-12);
        assert!((p.fee_pot - 0.003 * gross).abs() < 1e-15);
        assert!((p.k() - k).abs() < 1e-9);
        let d = p.buy(5.0);
        assert!(d > 0.0 && (p.k() - k).abs() < 1e-9);
        assert!((p.fee_pot - 0.003 * gross - 0.015).abs() < 1e-12);
    }

    #[test]
    fn dust_trades_do_not_happen() {
        let mut p = Pool::new(0.003);
        p.add_liquidity(1e12, 1e12);
        let before = p.clone();
        assert_eq!(p.buy(1e-300), 0.0);
        assert_eq!(p.sell(1e-300), 0.0);
        assert_eq!(p.zap(1e-300, 1.0), (0.0, 0.0, 0.0));
        assert_eq!(p, before);
    }

    #[test]
    fn fees_are_paid_pro_rata_or_emptied() {
        let mut p = Pool::new(0.003);
        p.add_liquidity(100.0, 100.0);
        let s2 = p.add_liquidity(100.0, 100.0);
        assert_eq!(s2, 100.0);
        p.fee_pot = 10.0;
        let mut q = p.clone();
        assert_eq!(p.collect_fees(100.0, FeePot::ProRata), 5.0);
        assert_eq!(p.collect_fees(100.0, FeePot::ProRata), 2.5);
        assert_eq!(q.collect_fees(100.0, FeePot::Original), 5.0);
        assert_eq!(q.collect_fees(100.0, FeePot::Original), 0.0);
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod properties {
    use super::*;

    proptest::proptest! {
        /// k never decreases across a trade, whatever the trades; reserves stay positive.
        #[test]
        fn k_never_decreases_across_a_trade(
            d0 in 1e-3f64..1e6, x0 in 1e-3f64..1e6,
            trades in proptest::collection::vec((proptest::bool::ANY, 1e-9f64..1e6), 1..60),
        ) {
            let mut p = Pool::new(0.003);
            p.add_liquidity(d0, x0);
            for (buy, amount) in trades {
                let k = p.k();
                if buy { p.buy(amount); } else { p.sell(amount); }
                proptest::prop_assert!(p.k() >= k, "k fell from {} to {}", k, p.k());
                proptest::prop_assert!(p.ddt > 0.0 && p.xdai > 0.0);
            }
        }
    }
}
