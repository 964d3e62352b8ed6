//! In-process benchmarks (divan): one plan, one plan to JSON, one batch line, and a
//! rounded plan. Whole-process figures (start-up, batch throughput, peak memory) come
//! from `benches/commands.sh`.

use taper::catalog::Catalog;
use taper::cli::{Catalogs, PlanArgs, plan_from_args, request};

fn main() {
    divan::main();
}

fn args(json: &str) -> PlanArgs {
    request::to_args(
        serde_json::from_str(json).unwrap(),
        &request::known_fields(),
        &[],
    )
    .unwrap()
}

#[divan::bench]
fn catalog_parse() -> Catalog {
    Catalog::embedded().unwrap()
}

#[divan::bench]
fn plan_default_rule(bencher: divan::Bencher) {
    let args = args(r#"{"drug":"citalopram","from":20,"start":"2027-01-04"}"#);
    let mut catalogs = Catalogs::default();
    bencher.bench_local(|| plan_from_args(&args, &mut catalogs).unwrap());
}

#[divan::bench]
fn plan_to_json(bencher: divan::Bencher) {
    let args =
        args(r#"{"drug":"citalopram","from":20,"start":"2027-01-04","step_pp":10,"align":true}"#);
    let mut catalogs = Catalogs::default();
    bencher.bench_local(|| {
        serde_json::to_string(&plan_from_args(&args, &mut catalogs).unwrap()).unwrap()
    });
}

#[divan::bench]
fn request_line_to_json(bencher: divan::Bencher) {
    let known = request::known_fields();
    let line = r#"{"id":7,"drug":"sertraline","from":"100mg","start":"2027-01-04","steps":8}"#;
    let mut catalogs = Catalogs::default();
    bencher.bench_local(|| {
        let args = request::to_args(serde_json::from_str(line).unwrap(), &known, &["id"]).unwrap();
        serde_json::to_string(&plan_from_args(&args, &mut catalogs).unwrap()).unwrap()
    });
}

#[divan::bench]
fn plan_rounded_to_tablets(bencher: divan::Bencher) {
    let args = args(
        r#"{"drug":"sertraline","from":100,"start":"2027-01-04","tablets":[25,50],"split":"quarter"}"#,
    );
    let mut catalogs = Catalogs::default();
    bencher.bench_local(|| plan_from_args(&args, &mut catalogs).unwrap());
}
