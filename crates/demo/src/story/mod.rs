//! The hand-written rows: the story the product was born from (DESIGN.md).
//!
//! Shanghai Polytechnic University, during its 2024 Global Partnership Week
//! (1–5 April 2024), signs on Wednesday 3 April a cooperation agreement on
//! e-waste research with TechProtect GmbH (a teaching partner since 2014) and,
//! the same day, a memorandum of understanding with the University of Rousse
//! (the source's words: "on Wednesday", "on the same day"); earlier, in the
//! week before (Tuesday 26 March), it
//! signs a cooperation agreement with Technological University Dublin at a
//! signing ceremony of its own. The week's two agreements point at the
//! partnership-week event itself (`agreements.event_id` = the week), the Dublin
//! agreement at its separate signing ceremony.

use entity::program::ProgramKind;

use crate::dataset::{Builder, PersonName, ymd};

mod agreements;
mod cast;
mod events;

pub const SPU_NAME: &str = "Shanghai Polytechnic University";
pub const SPU_LOCATION: &str =
    "Shanghai Polytechnic University, 2360 Jinhai Road, Pudong, Shanghai";

/// Ids of the story's rows that the generated part refers to.
pub struct Story {
    pub spu: i64,
    pub techprotect: i64,
    pub rousse: i64,
    pub tu_dublin: i64,
    pub kienle: i64,
    /// SPU's vice-president for international affairs, who signs most agreements.
    pub vice_president: i64,
    pub week_2023: i64,
    pub week_2019: i64,
    pub techprotect_research: i64,
    pub techprotect_teaching: i64,
    pub rousse_mou: i64,
    pub tu_dublin_training: i64,
}

fn name(full: &str, given: &str, family: &str) -> PersonName {
    PersonName {
        full: full.to_owned(),
        given: given.to_owned(),
        family: family.to_owned(),
    }
}

/// Adds the story: the four organizations and their people, the events and
/// the four agreements. Must run first (SPU gets organization id 1).
pub fn build(b: &mut Builder) -> Story {
    let cast = cast::add(b);
    let events = events::add(b, cast.spu);
    let agreements = agreements::add(b, &cast, &events);
    Story {
        spu: cast.spu,
        techprotect: cast.techprotect,
        rousse: cast.rousse,
        tu_dublin: cast.tu_dublin,
        kienle: cast.kienle,
        vice_president: cast.vice_president,
        week_2023: events.week_2023,
        week_2019: events.week_2019,
        techprotect_research: agreements.techprotect_research,
        techprotect_teaching: agreements.techprotect_teaching,
        rousse_mou: agreements.rousse_mou,
        tu_dublin_training: agreements.tu_dublin_training,
    }
}

/// The organizations and people the rest of the story refers to.
#[derive(Clone, Copy)]
struct Cast {
    spu: i64,
    president: i64,
    vice_president: i64,
    techprotect: i64,
    kienle: i64,
    rousse: i64,
    rousse_rector: i64,
    tu_dublin: i64,
    tud_signatory: i64,
}

/// The events the story's agreements point at, and the earlier weeks.
#[derive(Clone, Copy)]
struct Events {
    week_2024: i64,
    dublin_ceremony: i64,
    week_2023: i64,
    week_2019: i64,
}

/// The story's programs (after SPU's own majors).
pub fn programs(b: &mut Builder, story: &Story) {
    b.program(
        Some(story.techprotect_teaching),
        story.spu,
        "E-waste Recycling and IT Asset Disposition Practice Course",
        ProgramKind::JointTraining,
        "en",
        Some("0712"),
        ymd(2014, 9, 1),
        None,
        Some(40),
    );
    b.program(
        Some(story.techprotect_research),
        story.spu,
        "E-waste Research Programme: Recovery of Critical Raw Materials",
        ProgramKind::Research,
        "en",
        Some("0712"),
        ymd(2024, 4, 3),
        Some(ymd(2029, 4, 2)),
        Some(8),
    );
    b.program(
        Some(story.tu_dublin_training),
        story.spu,
        "Joint Student Training Programme in Computer Science with TU Dublin",
        ProgramKind::JointTraining,
        "en",
        Some("0613"),
        ymd(2024, 3, 26),
        Some(ymd(2029, 3, 25)),
        Some(30),
    );
}
