"""Build the plugin's own airline data: ``db.json`` (flights, users, reservations).

Run from the repository root: ``.venv/bin/python plugins/airline/scripts/build_dataset.py``.
The output is deterministic (a seeded generator for prices, seats and times; everything else
is written out below), so running it again gives the same files. ``build_tasks.py`` then writes
the tasks against this database.

Everything here is invented for this project: the route network, schedules, prices, people and
bookings. Dates follow the airline desk's fixed clock (2024-05-15 15:00 EST): flights before
that moment have landed (or were cancelled), flights on the 15th are landed, flying, on time or
delayed depending on their times, and later ones can be booked.
"""

from __future__ import annotations

import json
import random
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / "src" / "runner_airline" / "data"
NOW = datetime(2024, 5, 15, 15, 0)
FIRST_DAY, LAST_DAY = date(2024, 5, 10), date(2024, 5, 30)
CABINS = ("basic_economy", "economy", "business")

# flight number, origin, destination, scheduled departure (EST), duration in minutes
SCHEDULE: list[tuple[str, str, str, str, int]] = [
    ("HAT101", "JFK", "LAX", "07:00", 360),
    ("HAT102", "LAX", "JFK", "09:00", 330),
    ("HAT103", "JFK", "LAX", "17:00", 360),
    ("HAT104", "LAX", "JFK", "22:00", 330),
    ("HAT111", "JFK", "ORD", "06:00", 150),
    ("HAT112", "ORD", "JFK", "16:00", 150),
    ("HAT113", "JFK", "ORD", "13:00", 150),
    ("HAT121", "ORD", "LAX", "10:00", 270),
    ("HAT122", "LAX", "ORD", "15:00", 270),
    ("HAT131", "JFK", "MIA", "08:00", 180),
    ("HAT132", "MIA", "JFK", "13:00", 180),
    ("HAT141", "BOS", "JFK", "06:30", 90),
    ("HAT142", "JFK", "BOS", "19:00", 90),
    ("HAT151", "ORD", "DEN", "09:30", 150),
    ("HAT152", "DEN", "ORD", "14:00", 150),
    ("HAT161", "DEN", "LAX", "13:00", 150),
    ("HAT162", "LAX", "DEN", "07:30", 150),
    ("HAT171", "DEN", "SEA", "16:00", 180),
    ("HAT172", "SEA", "DEN", "08:00", 180),
    ("HAT181", "SFO", "SEA", "10:00", 120),
    ("HAT182", "SEA", "SFO", "14:30", 120),
    ("HAT191", "ATL", "MIA", "11:00", 120),
    ("HAT192", "MIA", "ATL", "15:00", 120),
    ("HAT201", "ATL", "ORD", "07:00", 120),
    ("HAT202", "ORD", "ATL", "18:00", 120),
    ("HAT211", "LAS", "LAX", "12:00", 60),
    ("HAT212", "LAX", "LAS", "18:30", 60),
    ("HAT221", "PHX", "DEN", "06:00", 120),
    ("HAT222", "DEN", "PHX", "20:00", 120),
    ("HAT231", "ATL", "LAS", "21:00", 270),
    ("HAT241", "BOS", "MIA", "09:00", 210),
    ("HAT242", "MIA", "BOS", "14:00", 210),
    ("HAT251", "SEA", "JFK", "22:30", 360),
    ("HAT261", "LAS", "SFO", "16:00", 90),
    ("HAT262", "SFO", "LAS", "08:00", 90),
    ("HAT271", "MSP", "ORD", "07:00", 90),
    ("HAT272", "ORD", "MSP", "17:30", 90),
]

# (flight, date) -> status forced for the tasks' stories; extra minutes of delay where delayed
FORCED: dict[tuple[str, str], tuple[str, int]] = {
    ("HAT131", "2024-05-17"): ("cancelled", 0),
    ("HAT241", "2024-05-13"): ("cancelled", 0),
    ("HAT212", "2024-05-14"): ("cancelled", 0),
    ("HAT122", "2024-05-15"): ("delayed", 190),
    ("HAT202", "2024-05-15"): ("delayed", 75),
    ("HAT262", "2024-05-11"): ("cancelled", 0),
}


def clock(day: date, hhmm: str) -> datetime:
    hour, minute = map(int, hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute)


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def hms(moment: datetime, day: date) -> str:
    """A scheduled time of day, with "+1" when it falls on the next day."""
    return moment.strftime("%H:%M:%S") + ("+1" if moment.date() > day else "")


def base_prices(rng: random.Random, minutes: int) -> dict[str, int]:
    hours = minutes / 60
    basic = round(38 + 21 * hours + rng.uniform(-8, 8))
    economy = round(basic * 1.75 + rng.uniform(-10, 10))
    business = round(economy * 2.6 + rng.uniform(-25, 25))
    return {"basic_economy": basic, "economy": economy, "business": business}


def day_status(
    rng: random.Random, number: str, day: date, dep: datetime, arr: datetime, prices: dict[str, int]
) -> dict[str, Any]:
    forced = FORCED.get((number, day.isoformat()))
    if forced and forced[0] == "cancelled":
        return {"status": "cancelled"}
    if forced and forced[0] == "delayed":
        late = timedelta(minutes=forced[1])
        return {
            "status": "delayed",
            "estimated_departure_time_est": stamp(dep + late),
            "estimated_arrival_time_est": stamp(arr + late),
        }
    if dep >= NOW and day > NOW.date():
        seats = {c: rng.randint(0, 20) for c in CABINS}
        price = {c: max(20, round(p * rng.uniform(0.85, 1.15))) for c, p in prices.items()}
        return {"status": "available", "available_seats": seats, "prices": price}
    off = timedelta(minutes=rng.randint(-10, 35))
    if dep >= NOW:
        return {
            "status": "on time",
            "estimated_departure_time_est": stamp(dep + off),
            "estimated_arrival_time_est": stamp(arr + off),
        }
    if arr + off > NOW:
        return {
            "status": "flying",
            "actual_departure_time_est": stamp(dep + off),
            "estimated_arrival_time_est": stamp(arr + off),
        }
    return {
        "status": "landed",
        "actual_departure_time_est": stamp(dep + off),
        "actual_arrival_time_est": stamp(arr + off),
    }


def build_flights(rng: random.Random) -> tuple[dict[str, Any], dict[str, dict[str, int]]]:
    flights: dict[str, Any] = {}
    bases: dict[str, dict[str, int]] = {}
    for number, origin, destination, departs, minutes in SCHEDULE:
        prices = bases[number] = base_prices(rng, minutes)
        first_dep = clock(FIRST_DAY, departs)
        dates = {}
        day = FIRST_DAY
        while day <= LAST_DAY:
            dep = clock(day, departs)
            dates[day.isoformat()] = day_status(
                rng, number, day, dep, dep + timedelta(minutes=minutes), prices
            )
            day += timedelta(days=1)
        flights[number] = {
            "flight_number": number,
            "origin": origin,
            "destination": destination,
            "scheduled_departure_time_est": hms(first_dep, FIRST_DAY),
            "scheduled_arrival_time_est": hms(first_dep + timedelta(minutes=minutes), FIRST_DAY),
            "dates": dates,
        }
    return flights, bases


def card(pid: str, brand: str, last_four: str) -> dict[str, Any]:
    return {"source": "credit_card", "brand": brand, "last_four": last_four, "id": pid}


def gift(pid: str, amount: float) -> dict[str, Any]:
    return {"source": "gift_card", "amount": amount, "id": pid}


def cert(pid: str, amount: float) -> dict[str, Any]:
    return {"source": "certificate", "amount": amount, "id": pid}


def person(first: str, last: str, dob: str) -> dict[str, str]:
    return {"first_name": first, "last_name": last, "dob": dob}


# user id -> (name, dob, address, email, membership, payment methods, saved passengers)
USERS: dict[str, tuple[Any, ...]] = {
    "nadia_okafor_4127": (
        ("Nadia", "Okafor"),
        "1984-02-19",
        ("418 Larkspur Lane", "Apt 3B", "Columbus", "USA", "OH", "43215"),
        "gold",
        [card("credit_card_5520117", "mastercard", "4419"), gift("gift_card_8830262", 250)],
        [person("Chidi", "Okafor", "1981-11-02")],
    ),
    "tomas_lindqvist_8830": (
        ("Tomas", "Lindqvist"),
        "1979-06-30",
        ("27 Birch Hollow Road", None, "Duluth", "USA", "MN", "55802"),
        "regular",
        [card("credit_card_3301945", "visa", "0082"), cert("certificate_7720148", 150)],
        [],
    ),
    "priya_raman_2264": (
        ("Priya", "Raman"),
        "1988-12-03",
        ("9 Harbor View Court", "Unit 12", "Tacoma", "USA", "WA", "98402"),
        "silver",
        [
            gift("gift_card_6402219", 120),
            gift("gift_card_6402220", 75),
            card("credit_card_1188352", "visa", "5561"),
        ],
        [person("Arjun", "Raman", "1986-07-15")],
    ),
    "marcus_bell_5519": (
        ("Marcus", "Bell"),
        "1990-09-14",
        ("1560 Sycamore Street", None, "Henderson", "USA", "NV", "89012"),
        "regular",
        [card("credit_card_9042716", "amex", "3007")],
        [],
    ),
    "elena_costa_7073": (
        ("Elena", "Costa"),
        "1969-08-25",
        ("72 Coral Reef Drive", None, "Miami", "USA", "FL", "33133"),
        "gold",
        [card("credit_card_2275503", "visa", "9140"), cert("certificate_4468821", 300)],
        [person("Rafael", "Costa", "1967-01-30")],
    ),
    "kenji_watanabe_3390": (
        ("Kenji", "Watanabe"),
        "1986-10-09",
        ("305 Cypress Avenue", "Floor 2", "Oakland", "USA", "CA", "94610"),
        "silver",
        [card("credit_card_6650118", "mastercard", "2288"), gift("gift_card_3319074", 400)],
        [person("Aiko", "Watanabe", "1988-02-14"), person("Yumi", "Watanabe", "1991-05-03")],
    ),
    "fatima_haddad_6142": (
        ("Fatima", "Haddad"),
        "1983-01-12",
        ("88 Magnolia Boulevard", None, "Atlanta", "USA", "GA", "30308"),
        "regular",
        [gift("gift_card_7781530", 500), card("credit_card_4410378", "visa", "6624")],
        [person("Omar", "Haddad", "1980-03-22")],
    ),
    "owen_mcbride_9405": (
        ("Owen", "McBride"),
        "1972-03-08",
        ("14 Lakeshore Terrace", None, "Evanston", "USA", "IL", "60201"),
        "gold",
        [
            card("credit_card_8120664", "visa", "1357"),
            card("credit_card_8120665", "mastercard", "8642"),
        ],
        [person("Grace", "McBride", "1975-07-21")],
    ),
    "lucia_moreno_1858": (
        ("Lucia", "Moreno"),
        "1992-04-16",
        ("640 Mesa Verde Way", "Apt 7", "Phoenix", "USA", "AZ", "85004"),
        "regular",
        [card("credit_card_5097312", "visa", "4470"), cert("certificate_2263905", 250)],
        [],
    ),
    "samuel_adeyemi_2716": (
        ("Samuel", "Adeyemi"),
        "1977-12-01",
        ("2210 Riverbend Parkway", None, "Brooklyn", "USA", "NY", "11215"),
        "silver",
        [card("credit_card_7344910", "mastercard", "0519")],
        [person("Ada", "Adeyemi", "2004-06-18")],
    ),
    "hannah_fischer_4583": (
        ("Hannah", "Fischer"),
        "1995-05-27",
        ("51 Beacon Hill Row", None, "Cambridge", "USA", "MA", "02139"),
        "regular",
        [card("credit_card_2908173", "visa", "7731"), gift("gift_card_2908174", 60)],
        [],
    ),
    "diego_ramirez_6620": (
        ("Diego", "Ramirez"),
        "1981-08-11",
        ("903 Aspen Ridge Drive", None, "Denver", "USA", "CO", "80205"),
        "gold",
        [cert("certificate_9931207", 500), card("credit_card_6172539", "amex", "2046")],
        [person("Carmen", "Ramirez", "1983-09-29"), person("Mateo", "Ramirez", "2010-02-07")],
    ),
}

# reservation id, user, flight type, cabin, [(flight, date)], passengers, payment id, created,
# total bags, paid bags, insurance
RESERVATIONS: list[tuple[Any, ...]] = [
    (
        "Q4RZ8M",
        "tomas_lindqvist_8830",
        "one_way",
        "economy",
        [("HAT111", "2024-05-21")],
        [("Tomas", "Lindqvist", "1979-06-30")],
        "credit_card_3301945",
        "2024-05-14T20:10:00",
        1,
        0,
        "no",
    ),
    (
        "G5HN3Q",
        "tomas_lindqvist_8830",
        "one_way",
        "basic_economy",
        [("HAT103", "2024-05-22")],
        [("Tomas", "Lindqvist", "1979-06-30")],
        "credit_card_3301945",
        "2024-05-04T12:45:00",
        0,
        0,
        "no",
    ),
    (
        "B7N2KD",
        "marcus_bell_5519",
        "one_way",
        "basic_economy",
        [("HAT212", "2024-05-22")],
        [("Marcus", "Bell", "1990-09-14")],
        "credit_card_9042716",
        "2024-05-08T11:25:00",
        0,
        0,
        "no",
    ),
    (
        "W3JX5T",
        "owen_mcbride_9405",
        "round_trip",
        "business",
        [("HAT202", "2024-05-19"), ("HAT201", "2024-05-24")],
        [("Owen", "McBride", "1972-03-08"), ("Grace", "McBride", "1975-07-21")],
        "credit_card_8120664",
        "2024-05-02T09:40:00",
        2,
        0,
        "no",
    ),
    (
        "N6AE1P",
        "owen_mcbride_9405",
        "one_way",
        "economy",
        [("HAT271", "2024-05-26")],
        [("Owen", "McBride", "1972-03-08"), ("Grace", "McBride", "1957-07-21")],
        "credit_card_8120665",
        "2024-05-09T18:05:00",
        2,
        0,
        "no",
    ),
    (
        "H9PL2C",
        "priya_raman_2264",
        "one_way",
        "economy",
        [("HAT182", "2024-05-18")],
        [("Priya", "Raman", "1988-12-03")],
        "gift_card_6402219",
        "2024-05-05T16:00:00",
        1,
        0,
        "yes",
    ),
    (
        "K2WF6U",
        "priya_raman_2264",
        "one_way",
        "economy",
        [("HAT121", "2024-05-20")],
        [("Priya", "Raman", "1988-12-03")],
        "credit_card_1188352",
        "2024-05-07T08:30:00",
        1,
        0,
        "no",
    ),
    (
        "F2VW7Y",
        "hannah_fischer_4583",
        "one_way",
        "economy",
        [("HAT141", "2024-05-20")],
        [("Hannah", "Fischer", "1995-05-27")],
        "credit_card_2908173",
        "2024-05-06T10:00:00",
        0,
        0,
        "yes",
    ),
    (
        "T4QZ9X",
        "hannah_fischer_4583",
        "one_way",
        "economy",
        [("HAT251", "2024-05-26")],
        [("Hannah", "Fischer", "1995-05-27")],
        "credit_card_2908173",
        "2024-05-15T09:30:00",
        1,
        0,
        "no",
    ),
    (
        "M8TQ3A",
        "fatima_haddad_6142",
        "one_way",
        "economy",
        [("HAT131", "2024-05-17")],
        [("Fatima", "Haddad", "1983-01-12")],
        "gift_card_7781530",
        "2024-05-03T13:15:00",
        1,
        0,
        "no",
    ),
    (
        "D4SX8K",
        "fatima_haddad_6142",
        "one_way",
        "economy",
        [("HAT191", "2024-05-21")],
        [("Fatima", "Haddad", "1983-01-12"), ("Omar", "Haddad", "1980-03-22")],
        "credit_card_4410378",
        "2024-05-10T19:20:00",
        2,
        0,
        "no",
    ),
    (
        "C5KD9R",
        "nadia_okafor_4127",
        "one_way",
        "economy",
        [("HAT241", "2024-05-13")],
        [("Nadia", "Okafor", "1984-02-19"), ("Chidi", "Okafor", "1981-11-02")],
        "credit_card_5520117",
        "2024-04-28T14:00:00",
        2,
        0,
        "no",
    ),
    (
        "E1BV4G",
        "nadia_okafor_4127",
        "round_trip",
        "economy",
        [("HAT151", "2024-05-23"), ("HAT152", "2024-05-27")],
        [("Nadia", "Okafor", "1984-02-19")],
        "gift_card_8830262",
        "2024-05-11T07:50:00",
        3,
        0,
        "yes",
    ),
    (
        "Z6YH4E",
        "elena_costa_7073",
        "one_way",
        "business",
        [("HAT122", "2024-05-15")],
        [("Elena", "Costa", "1969-08-25")],
        "credit_card_2275503",
        "2024-04-30T10:10:00",
        1,
        0,
        "no",
    ),
    (
        "R8UJ5B",
        "elena_costa_7073",
        "round_trip",
        "economy",
        [("HAT242", "2024-05-12"), ("HAT241", "2024-05-19")],
        [("Elena", "Costa", "1969-08-25"), ("Rafael", "Costa", "1967-01-30")],
        "credit_card_2275503",
        "2024-05-01T17:35:00",
        2,
        0,
        "yes",
    ),
    (
        "J3RB6W",
        "lucia_moreno_1858",
        "one_way",
        "economy",
        [("HAT212", "2024-05-14")],
        [("Lucia", "Moreno", "1992-04-16")],
        "credit_card_5097312",
        "2024-05-01T21:00:00",
        0,
        0,
        "no",
    ),
    (
        "P7GT2N",
        "kenji_watanabe_3390",
        "round_trip",
        "economy",
        [("HAT101", "2024-05-19"), ("HAT102", "2024-05-26")],
        [("Kenji", "Watanabe", "1986-10-09")],
        "credit_card_6650118",
        "2024-05-08T15:45:00",
        2,
        0,
        "no",
    ),
    (
        "V2MC7L",
        "diego_ramirez_6620",
        "one_way",
        "business",
        [("HAT161", "2024-05-20")],
        [("Diego", "Ramirez", "1981-08-11")],
        "credit_card_6172539",
        "2024-05-06T20:30:00",
        2,
        0,
        "no",
    ),
    (
        "A9CE3S",
        "samuel_adeyemi_2716",
        "round_trip",
        "economy",
        [("HAT132", "2024-05-11"), ("HAT131", "2024-05-14")],
        [("Samuel", "Adeyemi", "1977-12-01")],
        "credit_card_7344910",
        "2024-04-22T09:00:00",
        1,
        0,
        "no",
    ),
    (
        "L6PD2W",
        "marcus_bell_5519",
        "one_way",
        "economy",
        [("HAT262", "2024-05-11")],
        [("Marcus", "Bell", "1990-09-14")],
        "credit_card_9042716",
        "2024-04-25T13:30:00",
        0,
        0,
        "no",
    ),
]


def build_users() -> dict[str, Any]:
    users = {}
    for user_id, (name, dob, addr, membership, methods, saved) in USERS.items():
        address1, address2, city, country, state, zip_code = addr
        first, last = name
        users[user_id] = {
            "user_id": user_id,
            "name": {"first_name": first, "last_name": last},
            "address": {
                "address1": address1,
                "address2": address2,
                "city": city,
                "country": country,
                "state": state,
                "zip": zip_code,
            },
            "email": f"{first.lower()}.{last.lower()}{user_id[-2:]}@example.com",
            "dob": dob,
            "payment_methods": {m["id"]: m for m in methods},
            "saved_passengers": saved,
            "membership": membership,
            "reservations": [],
        }
    return users


def segment_price(
    flights: dict[str, Any], bases: dict[str, dict[str, int]], number: str, day: str, cabin: str
) -> int:
    """The price paid at booking: today's price if still on sale, else the route's base price."""
    status = flights[number]["dates"][day]
    return status["prices"][cabin] if status["status"] == "available" else bases[number][cabin]


def build_reservations(
    flights: dict[str, Any], bases: dict[str, dict[str, int]], users: dict[str, Any]
) -> dict[str, Any]:
    reservations = {}
    for (
        rid,
        uid,
        kind,
        cabin,
        legs,
        people,
        pay,
        created,
        bags,
        paid_bags,
        insurance,
    ) in RESERVATIONS:
        segments = []
        for number, day in legs:
            flight = flights[number]
            segments.append(
                {
                    "origin": flight["origin"],
                    "destination": flight["destination"],
                    "flight_number": number,
                    "date": day,
                    "price": segment_price(flights, bases, number, day, cabin),
                }
            )
        passengers = [person(*p) for p in people]
        total = sum(s["price"] for s in segments) * len(passengers)
        total += 30 * len(passengers) * (insurance == "yes") + 50 * paid_bags
        reservations[rid] = {
            "reservation_id": rid,
            "user_id": uid,
            "origin": segments[0]["origin"],
            "destination": segments[0]["destination"]
            if kind == "round_trip"
            else segments[-1]["destination"],
            "flight_type": kind,
            "cabin": cabin,
            "flights": segments,
            "passengers": passengers,
            "payment_history": [{"payment_id": pay, "amount": total}],
            "created_at": created,
            "total_baggages": bags,
            "nonfree_baggages": paid_bags,
            "insurance": insurance,
            "status": None,
        }
        users[uid]["reservations"].append(rid)
    return reservations


def main() -> None:
    rng = random.Random(20240515)
    flights, bases = build_flights(rng)
    users = build_users()
    reservations = build_reservations(flights, bases, users)
    db = {"flights": flights, "users": users, "reservations": reservations}
    DATA.mkdir(parents=True, exist_ok=True)
    (DATA / "db.json").write_text(json.dumps(db, indent=2) + "\n", encoding="utf-8")
    print(
        f"wrote {DATA / 'db.json'}: {len(flights)} flights, {len(users)} users, "
        f"{len(reservations)} reservations"
    )


if __name__ == "__main__":
    main()
