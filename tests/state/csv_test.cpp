// CSV points: a table of bad files, each with the message that names its line; the label rules
// (+-1, 0/1, names in order of first appearance, numbers as regression, header declarations); the
// rescale option; and round trips (writer -> reader gives the same points bit for bit, also for
// generated data sets, and the same weights hash after training on them).
#include <gtest/gtest.h>
#include <cstring>
#include <string>
#include <vector>
#include "nnplay/csv.h"
#include "nnplay/dataset.h"
#include "nnplay/session.h"

using namespace nnplay;

namespace {

bool same_points(const std::vector<Point>& a, const std::vector<Point>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(Point)) == 0);
}

CsvPoints read_ok(const std::string& text, CsvOptions o = {}) {
  CsvPoints p;
  const std::string e = read_csv_points(text, o, &p);
  EXPECT_EQ(e, "") << text.substr(0, 200);
  return p;
}

std::string rows(int n, const char* label = "1") {
  std::string s;
  for (int i = 0; i < n; ++i) s += std::to_string(i % 7 - 3) + ",0.5," + label + "\n";
  return s;
}

}  // namespace

TEST(CsvErrors, EachBadFileGetsItsMessage) {
  struct Bad { std::string text; std::string message; CsvOptions opt = {}; };
  const std::string good = "1,2,1\n-1,0.5,0\n";
  std::string nul = good + "3,4";
  nul += '\0';
  nul += ",1\n";
  const std::vector<Bad> table = {
      {"", "the file is empty"},
      {"\n\n  \r\n\t\n", "the file has no data rows"},
      {"x1,x2,label\n", "the file has a header but no data rows"},
      {"x1,x2,label\n\n1,2\n", "line 3: expected 3 columns (x1,x2,label) separated by commas, found 2"},
      {"1,2,1\n1,2,1,0\n", "line 2: expected 3 columns (x1,x2,label) separated by commas, found 4"},
      {"1;2;1\n", "line 1: expected 3 columns (x1,x2,label) separated by commas, found 1"},
      {"x1,x2,label\n1,2,1\nabc,2,1\n", "line 3: x1 \"abc\" is not a number"},
      {"1,2,1\n1,2x,1\n", "line 2: x2 \"2x\" is not a number"},
      {"1,2,1\nNaN,2,1\n", "line 2: x1 \"NaN\" is NaN or infinite"},
      {"1,2,1\n1,-inf,1\n", "line 2: x2 \"-inf\" is NaN or infinite"},
      {"1,2,1\n1,1e40,1\n", "line 2: x2 \"1e40\" is not a number in float range"},
      {"1,2,1\n1,2,nan\n", "line 2: the label \"nan\" is NaN or infinite"},
      {"1,2,1\n,2,1\n", "line 2: x1 is empty"},
      {"1,2,1\n.,2,1\n", "line 2: x1 \".\" is not a number"},
      {"1,2,1\n1,+-2,1\n", "line 2: x2 \"+-2\" is not a number"},
      {"1,2,1\n1,2e,1\n", "line 2: x2 \"2e\" is not a number"},
      {"1,2,1\n1,2,\n", "line 2: the label is empty"},
      {"1,2,1\n1,7.5,0\n-9,0,1\n", "line 2: x2 7.5 lies outside the playground's square [-6, 6] (scale the data into it, or let the reader rescale it)"},
      {"x1,x2,label\n" + rows(5000) + "0,0,1\n", "line 5002: more than 5000 points (the limit)"},
      {nul, "line 3: binary data, a NUL byte (byte 0x00 at column 4); expected a text file"},
      {"1,2,1\n1,2,\xff\xfe\n", "line 2: not UTF-8 text (byte 0xff at column 5); expected a text file"},
      {"1,2,\xc0\xaf\n", "line 1: not UTF-8 text (byte 0xc0 at column 5); expected a text file"},
      {"1,2,\xed\xa0\x80\n", "line 1: not UTF-8 text (byte 0xed at column 5); expected a text file"},
      {"0,0,a\n0,0,b\n0,0,c\n0,0,d\n0,0,e\n0,0,f\n0,0,a\n0,0,g\n", "line 8: a 7th class \"g\"; at most 6 classes (a, b, c, d, e, f)"},
      {"0,0,cat\n1,1,cat\n", "labels: only one class (\"cat\"); a classification set needs 2 to 6 classes"},
      {"0,0,1.5\n1,1,cat\n", "line 2: the label \"cat\" is not a number (regression)", CsvOptions{true, false}},
      {"1,\"2,1\n", "line 1: field 2 has an unbalanced or inner quote (\"\\\"2\")"},
      {"1,2,1\n" + std::string(1200, '1') + ",2,1\n", "line 2: longer than 1000 characters"},
      {"x1,x2,label:a|b\n0,0,a\n0,0,c\n", "line 3: label \"c\" is not one of the classes the header declares (a, b)"},
      {"x1,x2,label:a\n0,0,a\n", "line 1: the header declares 1 class; 2 to 6 are allowed"},
      {"x1,x2,label:a|b|c|d|e|f|g\n0,0,a\n", "line 1: the header declares 7 classes; 2 to 6 are allowed"},
      {"x1,x2,label:a|b|a\n0,0,a\n", "line 1: class \"a\" is declared twice"},
      {"x1,x2,label:a||b\n0,0,a\n", "line 1: an empty class name in the header's \"label:a||b\""},
      {"x1,x2,target\n0,0,dog\n", "line 2: the label \"dog\" is not a number (regression)"},
      {"0,0,a|b\n0,0,c\n", "line 1: the label \"a|b\" holds '|', not allowed in a class name"},
      {"0,0,a\n0,0,c\x01\n", "line 2: the label \"c\\x01\" holds a control character"},
      {"x1,x2,label:a|b\x7f\n0,0,a\n", "line 1: the class name \"b\\x7f\" holds a control character"},
      {"x1,x2,label:a|b\n0,0,a\n", "the header declares classes, but regression was asked for", CsvOptions{true, false}},
      {"x1,x2,label\nx1,x2,label\n0,0,1\n", "line 2: x1 \"x1\" is not a number"},
      {std::string(kCsvMaxBytes + 1, '\n'), "the file has 4194305 bytes, more than the limit of 4194304"},
  };
  ASSERT_GE(table.size(), 20u);
  for (const Bad& b : table) {
    CsvPoints p;
    p.points = {Point{1, 2, 3}};
    const std::string e = read_csv_points(b.text, b.opt, &p);
    EXPECT_EQ(e, b.message) << "file: " << b.text.substr(0, 80);
    EXPECT_TRUE(p.points.empty()) << "on error the output is left empty";
  }
}

TEST(CsvLabels, TwoClassNamesNumbersAndRegression) {
  CsvPoints p = read_ok("1,2,+1\n-1,0.5,-1\n0,0,1\n");
  EXPECT_FALSE(p.regression);
  EXPECT_EQ(p.classes, 2);
  EXPECT_FALSE(p.header);
  ASSERT_EQ(p.points.size(), 3u);
  EXPECT_EQ(p.points[0].label, 1.0f);
  EXPECT_EQ(p.points[1].label, 0.0f);
  EXPECT_EQ(p.points[1].x2, 0.5f);
  p = read_ok("\xEF\xBB\xBFx1,x2,label\r\n1,2,0\r\n\r\n-1,.5,1\r\n3.,-2e0,0");  // BOM, CRLF, blank line, no final newline
  EXPECT_TRUE(p.header);
  EXPECT_EQ(p.classes, 2);
  ASSERT_EQ(p.points.size(), 3u);
  EXPECT_EQ(p.points[1].x2, 0.5f);
  EXPECT_EQ(p.points[2].x1, 3.0f);
  EXPECT_EQ(p.points[2].x2, -2.0f);
  p = read_ok("0,0,red\n1,1, \"blue\" \n2,2,green\n3,3,red\n");
  EXPECT_EQ(p.classes, 3);
  EXPECT_EQ(p.class_names, (std::vector<std::string>{"red", "blue", "green"}));
  EXPECT_EQ(p.points[1].label, 1.0f);
  EXPECT_EQ(p.points[3].label, 0.0f);
  p = read_ok("0,0,0.5\n1,1,2\n2,2,-3\n");               // numbers beyond {0,1}: regression
  EXPECT_TRUE(p.regression);
  EXPECT_EQ(p.classes, 0);
  EXPECT_EQ(p.points[2].label, -3.0f);
  p = read_ok("0,0,-1\n1,1,0\n2,2,1\n");                 // -1, 0 and 1 mixed: regression
  EXPECT_TRUE(p.regression);
  p = read_ok("0,0,1\n1,1,0\n", CsvOptions{true, false}); // the caller asks for regression
  EXPECT_TRUE(p.regression);
  EXPECT_EQ(p.points[0].label, 1.0f);
  p = read_ok("x,y,target\n0,0,1\n1,1,0\n");             // the header declares it
  EXPECT_TRUE(p.regression);
  p = read_ok("x,y,label:sun|moon|star\n0,0,star\n1,1,sun\n");
  EXPECT_EQ(p.classes, 3);
  EXPECT_EQ(p.points[0].label, 2.0f);
  EXPECT_EQ(p.points[1].label, 0.0f);
  p = read_ok("0,0,1\n1,1,cat\n");                       // one name makes every label a name
  EXPECT_EQ(p.class_names, (std::vector<std::string>{"1", "cat"}));
}

TEST(CsvRescale, PointsBeyondTheSquareScaleIntoIt) {
  CsvOptions o;
  o.rescale = true;
  CsvPoints p = read_ok("10,-5,0\n-20,3,1\n1,1,1\n", o);
  EXPECT_FLOAT_EQ(p.scale, 0.3f);
  EXPECT_FLOAT_EQ(p.points[0].x1, 3.0f);
  EXPECT_EQ(p.points[1].x1, -6.0f);
  EXPECT_FLOAT_EQ(p.points[2].x2, 0.3f);
  p = read_ok("5,-5,0\n-6,6,1\n", o);                    // inside already: unchanged
  EXPECT_EQ(p.scale, 1.0f);
  EXPECT_EQ(p.points[1].x2, 6.0f);
}

TEST(CsvRoundTrip, WriterThenReaderGivesTheSamePointsBitForBit) {
  // Awkward floats: -0, subnormal, the limits, values without a short decimal.
  const std::vector<Point> two = {{-0.0f, 1.0e-40f, 0}, {5.9999995f, -6.0f, 1}, {0.1f, 1.17549435e-38f, 1},
                                  {3.14159274f, -2.71828175f, 0}, {6.0f, 0.0f, 0}};
  std::string e;
  for (int classes : {0, 2, 3, 6}) {
    std::vector<Point> pts = two;
    for (size_t i = 0; i < pts.size(); ++i)
      pts[i].label = classes == 0 ? (float)(0.1 * i - 1e-3 * i * i) : (float)(i % classes);
    if (classes == 0) pts[1].label = 1.0f, pts[2].label = 0.0f;  // regression labels that look like classes
    for (bool named : {false, true}) {
      std::vector<std::string> names;
      if (named && classes > 0)
        for (int k = 0; k < classes; ++k) names.push_back("class " + std::string(1, (char)('A' + k)));
      const std::string text = write_csv_points(pts, classes, names, &e);
      ASSERT_EQ(e, "");
      CsvPoints p = read_ok(text);
      EXPECT_TRUE(same_points(p.points, pts)) << text;
      EXPECT_EQ(p.regression, classes == 0);
      EXPECT_EQ(p.classes, classes);
      EXPECT_TRUE(p.header);
      if (named && classes > 0) EXPECT_EQ(p.class_names, names);
    }
  }
  // What the writer refuses.
  EXPECT_EQ(write_csv_points(two, 7, {}, &e), "");
  EXPECT_EQ(e, "classes must be 0 (regression) or 2..6, got 7");
  EXPECT_EQ(write_csv_points(two, 3, {"a", "b,c", "d"}, &e), "");
  EXPECT_EQ(e, "class name \"b,c\" cannot be written: it holds ',', not allowed in a class name");
  EXPECT_EQ(write_csv_points(two, 3, {"a", "b", "a"}, &e), "");
  EXPECT_EQ(e, "class name \"a\" cannot be written: it is there twice");
  std::vector<Point> bad = two;
  bad[2].label = 2;
  EXPECT_EQ(write_csv_points(bad, 2, {}, &e), "");
  EXPECT_EQ(e, "point 2 has label 2, not a class 0..1");
}

TEST(CsvRoundTrip, GeneratedSetsAndTheHashAfterTraining) {
  for (DataSet set : {DataSet::Spiral, DataSet::Blobs, DataSet::RegGauss}) {
    Config c = default_config();
    c.data.set = set;
    c.data.noise = 20;
    c.data.classes = 4;
    if (set == DataSet::Blobs) {
      c.layers.back().units = 4;
      c.layers.back().act = Activation::Softmax;
      c.train.loss = LossType::SoftmaxCrossEntropy;
    }
    if (set == DataSet::RegGauss) c.layers.back().act = Activation::Linear;
    Dataset d;
    ASSERT_EQ(make_dataset(c.data, 3, &d), "");
    std::string e;
    const std::string text = write_csv_points(d, {}, &e);
    ASSERT_EQ(e, "") << name(set);
    CsvPoints p = read_ok(text);
    std::vector<Point> all = d.train_points;
    all.insert(all.end(), d.test_points.begin(), d.test_points.end());
    EXPECT_TRUE(same_points(p.points, all)) << name(set);
    EXPECT_EQ(p.regression, set == DataSet::RegGauss);
    EXPECT_EQ(p.classes, set == DataSet::Blobs ? 4 : set == DataSet::Spiral ? 2 : 0);
  }
  // Export, import as the user set, train: the same hash as training on the original points.
  Config c = default_config();
  c.data.set = DataSet::User;
  c.data.user_points = {{1, 1, 1}, {-1, -1, 0}, {2, -3, 1}, {0.25f, 4, 0}, {-5.5f, 0.1f, 1}, {3.3f, -0.7f, 0}};
  std::string e;
  const std::string text = write_csv_points(c.data.user_points, 2, {}, &e);
  CsvPoints p = read_ok(text);
  Config c2 = c;
  c2.data.user_points = p.points;
  auto a = Session::create(c, &e), b = Session::create(c2, &e);
  ASSERT_TRUE(a && b) << e;
  a->step(StepSize::Batch, 40);
  b->step(StepSize::Batch, 40);
  EXPECT_EQ(a->parameters_hash(), b->parameters_hash());
  // An image set has no points to write.
  Dataset img;
  Config g = default_config();
  g.data.set = DataSet::Digits;
  g.data.points = 20;
  ASSERT_EQ(make_dataset(g.data, 1, &img), "");
  EXPECT_EQ(write_csv_points(img, {}, &e), "");
  EXPECT_EQ(e, "the data set has no 2-D points (image sets cannot be written as CSV)");
}
