//! In-process benchmarks (divan): one plan, one plan to JSON, one batch line, and a
//! rounded plan, each through the library's one entry point, `taper::make_plan`.
//! Whole-process figures (start-up, batch throughput, peak memory) come from
//! `benches/commands.sh`.

use taper::catalog::Catalog;
use taper::{Catalogs, Request};

fn main() {
    divan::main();
}

fn request(json: &str) -> Request {
    taper::request::from_json(json).unwrap()
}

#[divan::bench]
fn catalog_parse() -> Catalog {
    Catalog::embedded().unwrap()
}

#[divan::bench]
fn plan_default_rule(bencher: divan::Bencher) {
    let request =
        request(r#"{"plan_id":"bench","drug":"citalopram","from":20,"start":"2027-01-04"}"#);
    let catalogs = Catalogs::embedded().unwrap();
    bencher.bench_local(|| taper::make_plan(&catalogs, &request).unwrap());
}

#[divan::bench]
fn plan_to_json(bencher: divan::Bencher) {
    let request = request(
        r#"{"plan_id":"bench","drug":"citalopram","from":20,"start":"2027-01-04","step_pp":10,"align":true}"#,
    );
    let catalogs = Catalogs::embedded().unwrap();
    bencher.bench_local(|| {
        serde_json::to_string(&taper::make_plan(&catalogs, &request).unwrap()).unwrap()
    });
}

#[divan::bench]
fn request_line_to_json(bencher: divan::Bencher) {
    let line =
        r#"{"plan_id":"bench","drug":"sertraline","from":"100mg","start":"2027-01-04","steps":8}"#;
    let catalogs = Catalogs::embedded().unwrap();
    bencher.bench_local(|| {
        let request = taper::request::from_json(line).unwrap();
        serde_json::to_string(&taper::make_plan(&catalogs, &request).unwrap()).unwrap()
    });
}

#[divan::bench]
fn plan_rounded_to_tablets(bencher: divan::Bencher) {
    let request = request(
        r#"{"plan_id":"bench","drug":"sertraline","from":100,"start":"2027-01-04","tablets":[25,50],"split":"quarter"}"#,
    );
    let catalogs = Catalogs::embedded().unwrap();
    bencher.bench_local(|| taper::make_plan(&catalogs, &request).unwrap());
}

#[divan::bench]
fn plan_with_ketamine_series(bencher: divan::Bencher) {
    let request = request(
        r#"{"plan_id":"bench","drug":"citalopram","from":20,"start":"2027-01-04","ketamine_series":["2027-02-03T10:00,6,3d"],"benzo":["alprazolam"],"benzo_dose":["1mg"],"benzo_times":["08:00,14:00,21:00"],"benzo_hold":"72h","benzo_after":"72h"}"#,
    );
    let catalogs = Catalogs::embedded().unwrap();
    bencher.bench_local(|| taper::make_plan(&catalogs, &request).unwrap());
}
