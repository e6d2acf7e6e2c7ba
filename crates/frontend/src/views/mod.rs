//! The page's model views, each a [`crate::view::ModelView`]: its data and its drawing.

pub mod commons;
pub mod commons_dao;
pub mod conviction;
pub mod crowdtrain;
pub mod datadao;
pub mod policies;
pub mod research;
pub mod shocks;
pub mod stress;
