//! The catalog files compiled into the binary, so `taper` needs nothing beside it.
//! A test checks that every `schedules/*.toml` is listed here.

pub const FILES: &[(&str, &str)] = &[
    (
        "citalopram.toml",
        include_str!("../../schedules/citalopram.toml"),
    ),
    (
        "desvenlafaxine.toml",
        include_str!("../../schedules/desvenlafaxine.toml"),
    ),
    (
        "duloxetine.toml",
        include_str!("../../schedules/duloxetine.toml"),
    ),
    (
        "escitalopram.toml",
        include_str!("../../schedules/escitalopram.toml"),
    ),
    (
        "fluoxetine.toml",
        include_str!("../../schedules/fluoxetine.toml"),
    ),
    (
        "paroxetine.toml",
        include_str!("../../schedules/paroxetine.toml"),
    ),
    (
        "sertraline.toml",
        include_str!("../../schedules/sertraline.toml"),
    ),
    (
        "venlafaxine.toml",
        include_str!("../../schedules/venlafaxine.toml"),
    ),
    (
        "vortioxetine.toml",
        include_str!("../../schedules/vortioxetine.toml"),
    ),
];
