@echo off
REM portlens launcher for Windows (cmd.exe), after the bash launcher ./portlens. Two layouts:
REM   installed: portlens.jar next to this script; never builds.
REM   repository: pom.xml next to this script; builds portlens-cli\target\portlens.jar with Maven
REM   (mvn -B -q -DskipTests package) on first use, and again when the sources are newer than the jar.
REM Start-up: a class-data-sharing archive of the classes a run loads (-XX:ArchiveClassesAtExit), trained
REM on the first run of a JDK and jar and kept in XDG_CACHE_HOME\portlens when XDG_CACHE_HOME is set,
REM else in LOCALAPPDATA\portlens\cache. C1 only and the serial GC: a short-lived CLI gains nothing from
REM C2 or a parallel collector (but `portlens serve` gets the JDK's defaults).
REM Environment: JAVA_HOME (which JDK; else java.exe on PATH), PORTLENS_NO_BUILD=1 (never build),
REM PORTLENS_JAVA_OPTS (extra JVM flags), PORTLENS_ARCHIVE=cds or none (none: no archive),
REM PORTLENS_LAUNCHER_DEBUG=1 (one stderr line per decision, prefixed "portlens-launcher: ").
REM What differs from the bash launcher:
REM  - no AOT cache (-XX:AOTCache, JDK 24+): a CDS archive on every JDK; PORTLENS_ARCHIVE=aot means cds.
REM  - the check that the sources are newer than the jar needs PowerShell (a few hundred ms a run, in the
REM    repository layout only, and not with PORTLENS_NO_BUILD); without it the jar is built only when missing.
REM  - no owner or permission checks on the cache directory (Windows ACLs keep LOCALAPPDATA private).
REM  - the archive's name holds the JDK version, the size and time of jvm.dll, the jar's path and the jar's
REM    size and time (times to the minute, as cmd shows them) in place of bash's checksum and its test
REM    "the JDK is newer than the archive": an updated JDK or a rebuilt jar gets an archive of its own.
setlocal EnableExtensions DisableDelayedExpansion

REM Every variable set here is in the environment of java: hence the pl_ prefix (a plain "tmp" would be
REM the TMP of the JVM). Delayed expansion stays off: a "!" in an argument or a path is kept.
call :scriptdir
set "pl_quick=-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
set "pl_log=-Xlog:disable -Xlog:all=error:stderr"

REM `portlens serve` runs for hours and answers many requests: the JDK's full JIT and default collector,
REM not the quick-start pair. Decided by the first argument that is not an option. (SHIFT does not
REM change the arguments passed on below, which are the original ones.)
set "pl_serve="
:scanargs
set "pl_arg=%~1"
if not defined pl_arg goto scannedargs
if "%pl_arg:~0,1%"=="-" (
  shift
  goto scanargs
)
if "%pl_arg%"=="serve" set "pl_serve=1"
:scannedargs
set "pl_arg="

REM ---------- java: JAVA_HOME\bin\java.exe, else the first java.exe on PATH
if not defined JAVA_HOME goto javaonpath
REM (quotes removed: a JAVA_HOME set with quotes around it is common on Windows)
set "pl_jh=%JAVA_HOME:"=%"
set "pl_java=%pl_jh%\bin\java.exe"
if exist "%pl_java%" goto havejava
set "pl_msg=portlens: no java at '%pl_java%': install a JDK 17 or newer or set JAVA_HOME"
goto fail
:javaonpath
set "pl_jh="
set "pl_java="
REM java.exe, not java: a java.bat or java.cmd first on PATH would never return to this script
for /f "delims=" %%J in ('where java.exe 2^>nul') do if not defined pl_java set "pl_java=%%J"
if defined pl_java goto havejava
set "pl_msg=portlens: no java at 'java': install a JDK 17 or newer or set JAVA_HOME"
goto fail
:havejava

REM ---------- the jar
set "pl_jar=%pl_here%portlens.jar"
if exist "%pl_jar%" goto havejar
if exist "%pl_here%pom.xml" goto repository
set "pl_msg=portlens: no portlens.jar next to %pl_self% (put portlens.jar next to it)"
goto fail

:repository
set "pl_jar=%pl_here%portlens-cli\target\portlens.jar"
set "pl_stale="
if not exist "%pl_jar%" goto build
if defined PORTLENS_NO_BUILD goto havejar
call :stale
if not defined pl_stale goto havejar
:build
if not defined PORTLENS_NO_BUILD goto canbuild
set "pl_msg=portlens: %pl_jar% is missing; build it with: mvn -B -q -DskipTests package"
goto fail
:canbuild
where mvn >nul 2>&1
if not errorlevel 1 goto havemvn
set "pl_msg=portlens: %pl_jar% is missing and there is no mvn to build it (install Maven and put its bin directory on PATH)"
goto fail
:havemvn
set "pl_msg=portlens: building with Maven (mvn -B -q -DskipTests package)..."
if defined pl_stale set "pl_msg=portlens: sources changed, rebuilding with Maven (mvn -B -q -DskipTests package)..."
call :say
pushd "%pl_here%"
REM mvn is mvn.cmd: without CALL it would not return here. Its output goes to stderr, as in bash.
call mvn -B -q -DskipTests package 1>&2
set "pl_rc=%ERRORLEVEL%"
popd
if "%pl_rc%"=="0" goto havejar
set "pl_msg=portlens: the build failed; see the Maven output above"
goto fail
:havejar

REM ---------- the class-data-sharing archive: one per JDK and jar, in the user's cache directory
set "pl_jsa="
set "pl_msg=archive none: PORTLENS_ARCHIVE=none"
if "%PORTLENS_ARCHIVE%"=="none" goto noarchive
if not "%PORTLENS_ARCHIVE%"=="aot" goto cachedir
set "pl_msg=archive: PORTLENS_ARCHIVE=aot: the Windows launcher has no AOT cache, a CDS archive instead"
call :debug

:cachedir
set "pl_cache="
if not defined XDG_CACHE_HOME goto localappdata
REM only an absolute XDG_CACHE_HOME (C:\... or \\server\...), as bash takes only one starting with /
set "pl_base=%XDG_CACHE_HOME%"
if "%pl_base:~1,2%"==":\" set "pl_cache=%pl_base%\portlens"
if "%pl_base:~1,2%"==":/" set "pl_cache=%pl_base%\portlens"
if "%pl_base:~0,2%"=="\\" set "pl_cache=%pl_base%\portlens"
if defined pl_cache goto havecachedir
:localappdata
if defined LOCALAPPDATA set "pl_cache=%LOCALAPPDATA%\portlens\cache"
if defined pl_cache goto havecachedir
set "pl_msg=archive none: no cache directory (neither XDG_CACHE_HOME nor LOCALAPPDATA is an absolute path)"
goto noarchive
:havecachedir
if not exist "%pl_cache%\" mkdir "%pl_cache%" 2>nul
if exist "%pl_cache%\" goto cacheok
set "pl_msg=archive none: cache directory %pl_cache% cannot be created"
goto noarchive
:cacheok

REM Which JDK: the java.exe itself when it is a symbolic link (Oracle's installer puts such links to the
REM JDK's java.exe on PATH, in ...\Oracle\Java\javapath), as bash's readlink -f; its JDK home is two up.
set "pl_javareal=%pl_java%"
set "pl_attr="
for %%F in ("%pl_java%") do set "pl_attr=%%~aF"
if not defined pl_attr goto javareal
if "%pl_attr:l=%"=="%pl_attr%" goto javareal
for /f "tokens=2 delims=[]" %%T in ('dir /a:l "%pl_java%" 2^>nul ^| findstr /c:"<SYMLINK>"') do set "pl_javareal=%%T"
if not exist "%pl_javareal%" set "pl_javareal=%pl_java%"
:javareal
for %%F in ("%pl_javareal%\..\..") do set "pl_jdk=%%~fF"

REM The JDK's version from its release file (JAVA_VERSION="17.0.15"): no extra JVM start to ask it.
set "pl_release="
if defined pl_jh if exist "%pl_jh%\release" set "pl_release=%pl_jh%\release"
if not defined pl_release set "pl_release=%pl_jdk%\release"
set "pl_jdkversion=unknown"
if exist "%pl_release%" for /f "usebackq tokens=1,* delims==" %%A in ("%pl_release%") do if "%%A"=="JAVA_VERSION" set "pl_jdkversion=%%~B"
if not defined pl_jdkversion set "pl_jdkversion=unknown"
set "pl_jdkversion=%pl_jdkversion: =_%"
set "pl_jdkversion=%pl_jdkversion:/=_%"
set "pl_jdkversion=%pl_jdkversion:\=_%"
set "pl_jdkversion=%pl_jdkversion::=_%"
REM the feature release: 25.0.3 gives 25, 17.0.15 gives 17, 21-ea gives 21; 0 when not all digits (unknown)
set "pl_feature="
for /f "tokens=1 delims=.-+_" %%V in ("%pl_jdkversion%") do set "pl_feature=%%V"
if defined pl_feature for /f "delims=0123456789" %%X in ("%pl_feature%") do set "pl_feature="
if not defined pl_feature set "pl_feature=0"

REM The archive's name: the JDK (version; size and time of its jvm.dll, else of java.exe: an updated
REM JDK is a new archive), the jar's path (its last 80 characters) and the jar's size and time (a new
REM build is a new archive).
set "pl_file=%pl_jdk%\bin\server\jvm.dll"
if not exist "%pl_file%" set "pl_file=%pl_javareal%"
call :stamp pl_jvmstamp
set "pl_file=%pl_jar%"
call :stamp pl_jarstamp
set "pl_key=%pl_jar::=%"
set "pl_key=%pl_key:\=_%"
set "pl_key=%pl_key: =_%"
set "pl_key=%pl_key:~-80%"
set "pl_prefix=portlens-%pl_jdkversion%-%pl_jvmstamp%-%pl_key%-"
set "pl_name=%pl_prefix%%pl_jarstamp%.jsa"
set "pl_jsa=%pl_cache%\%pl_name%"
set "pl_what=CDS archive, JDK %pl_jdkversion%"
set "pl_why=no archive yet for this JDK and jar"

if not exist "%pl_jsa%" goto train
set "pl_msg=archive used: %pl_jsa% (%pl_what%)"
call :debug
goto usearchive

:train
if not exist "%pl_jsa%.failed" goto trainnow
set "pl_msg=archive none: training failed before for this JDK and jar (%pl_jsa%.failed); not trying again"
goto noarchive
:trainnow
REM Train into a file of our own, then rename: two first runs at once each write their own, and a reader
REM never sees half an archive. A failure only costs start-up time. The name is unique by the time of
REM day to the hundredth of a second and a random number (cmd has no process id).
set "pl_uniq=%TIME::=%"
set "pl_uniq=%pl_uniq:.=%"
set "pl_uniq=%pl_uniq:,=%"
set "pl_uniq=%pl_uniq: =%"
set "pl_tmp=%pl_jsa%.%pl_uniq%%RANDOM%.tmp"
REM The directory must be writable, else every run would train (seconds) and fail to mark the failure.
(type nul >"%pl_tmp%") 2>nul
if exist "%pl_tmp%" goto cachewritable
set "pl_msg=archive none: cache directory %pl_cache% cannot be written"
goto noarchive
:cachewritable
del /f /q "%pl_tmp%" 2>nul
"%pl_java%" %pl_quick% %pl_log% -Xshare:auto "-XX:ArchiveClassesAtExit=%pl_tmp%" -jar "%pl_jar%" --train-class-archive >nul 2>&1
if not "%ERRORLEVEL%"=="0" goto trainfailed
if not exist "%pl_tmp%" goto trainfailed
for %%F in ("%pl_tmp%") do if "%%~zF"=="0" goto trainfailed
move /y "%pl_tmp%" "%pl_jsa%" >nul 2>&1
if not exist "%pl_tmp%" goto trained
REM The rename failed: Windows does not replace a file that a running JVM has mapped, such as the
REM archive another first run has just put there and is using. Then that one is used.
del /f /q "%pl_tmp%" 2>nul
if not exist "%pl_jsa%" goto trainfailed
set "pl_msg=archive used: %pl_jsa% (%pl_what%; trained by another run at the same time)"
call :debug
goto usearchive
:trained
set "pl_msg=archive trained: %pl_jsa% (%pl_what%; %pl_why%)"
call :debug
REM archives of the same JDK and jar path for other jars (sizes, times) are of jars that no longer exist
for %%O in ("%pl_cache%\%pl_prefix%*.jsa") do if /i not "%%~nxO"=="%pl_name%" del /f /q "%%~fO" "%%~fO.failed" 2>nul
del /f /q "%pl_jsa%.failed" 2>nul
goto usearchive
:trainfailed
del /f /q "%pl_tmp%" 2>nul
(type nul >"%pl_jsa%.failed") 2>nul
set "pl_msg=archive none: training failed (%pl_what%; %pl_why%); marked %pl_jsa%.failed so later runs do not train again"
goto noarchive

:noarchive
call :debug
set "pl_jsa="
:usearchive

REM ---------- run
if defined pl_serve set "pl_quick="
if defined pl_jsa goto runwitharchive
"%pl_java%" %pl_quick% %pl_log% %PORTLENS_JAVA_OPTS% -jar "%pl_jar%" %*
exit /b %ERRORLEVEL%
:runwitharchive
REM An archive the JVM cannot use (another JDK build, a jar changed in place, a damaged file) is skipped
REM with error lines on stderr: silenced; the run goes on without it.
set "pl_cdslog="
if %pl_feature% GEQ 9 set "pl_cdslog=-Xlog:cds*=off:stderr"
if %pl_feature% GEQ 25 set "pl_cdslog=-Xlog:aot*=off,cds*=off:stderr"
"%pl_java%" %pl_quick% %pl_log% -Xshare:auto "-XX:SharedArchiveFile=%pl_jsa%" %pl_cdslog% %PORTLENS_JAVA_OPTS% -jar "%pl_jar%" %*
exit /b %ERRORLEVEL%


REM ---------- subroutines

:fail
REM prints pl_msg on stderr and ends the script with exit code 4
call :say
exit /b 4

:say
REM prints pl_msg on stderr. Delayed expansion only here: a value expanded with it is printed as it is,
REM whatever characters (parentheses, ampersands, carets) the paths in it hold.
setlocal EnableDelayedExpansion
>&2 echo(!pl_msg!
endlocal
exit /b 0

:debug
REM prints pl_msg on stderr after "portlens-launcher: " when PORTLENS_LAUNCHER_DEBUG is set
if not defined PORTLENS_LAUNCHER_DEBUG exit /b 0
setlocal EnableDelayedExpansion
>&2 echo(portlens-launcher: !pl_msg!
endlocal
exit /b 0

:scriptdir
REM This script's directory (with a trailing backslash) and full name. Read in a subroutine: at the top
REM level cmd gets them wrong when the script is run by a quoted name found on PATH ("portlens" 80).
set "pl_here=%~dp0"
set "pl_self=%~f0"
exit /b 0

:stamp
REM sets the variable named by the first argument to SIZE-TIME of the file pl_file, the time as cmd
REM shows it (to the minute, in the user's date format) with its separators removed
set "pl_s=none"
for %%F in ("%pl_file%") do set "pl_s=%%~zF-%%~tF"
set "pl_s=%pl_s:/=%"
set "pl_s=%pl_s::=%"
set "pl_s=%pl_s:.=%"
set "pl_s=%pl_s:,=%"
set "pl_s=%pl_s: =%"
set "%~1=%pl_s%"
exit /b 0

:stale
REM Sets pl_stale=1 when pom.xml, a portlens-*\pom.xml or anything under portlens-*\src\main is newer
REM than the jar (bash: find -newer). cmd cannot compare file times, so PowerShell does, when there is one.
REM Its script reads the paths from the environment (pl_jar, pl_here): no quoting of paths on its command line.
set "pl_ps="
if exist "%SystemRoot%\System32\WindowsPowerShell\v1.0\powershell.exe" set "pl_ps=%SystemRoot%\System32\WindowsPowerShell\v1.0\powershell.exe"
if not defined pl_ps for /f "delims=" %%P in ('where pwsh.exe 2^>nul') do if not defined pl_ps set "pl_ps=%%P"
if defined pl_ps goto stalecheck
set "pl_msg=build: no PowerShell: not checked whether the sources are newer than %pl_jar% (delete it to rebuild)"
call :debug
exit /b 0
:stalecheck
set "pl_ps1=$ErrorActionPreference = 'Stop'; $jar = (Get-Item -LiteralPath $env:pl_jar).LastWriteTimeUtc;"
set "pl_ps1=%pl_ps1% $paths = @(Join-Path $env:pl_here 'pom.xml');"
set "pl_ps1=%pl_ps1% foreach ($m in @(Get-ChildItem -LiteralPath $env:pl_here -Directory -Filter 'portlens-*')) {"
set "pl_ps1=%pl_ps1% $paths += Join-Path $m.FullName 'pom.xml'; $paths += Join-Path $m.FullName 'src\main' };"
set "pl_ps1=%pl_ps1% $paths = @($paths | Where-Object { Test-Path -LiteralPath $_ });"
set "pl_ps1=%pl_ps1% $newer = @(Get-Item -LiteralPath $paths -Force) + @(Get-ChildItem -LiteralPath $paths -Recurse -Force -ErrorAction SilentlyContinue)"
set "pl_ps1=%pl_ps1% | Where-Object { $_.LastWriteTimeUtc -gt $jar } | Select-Object -First 1;"
set "pl_ps1=%pl_ps1% if ($newer) { exit 3 } else { exit 0 }"
"%pl_ps%" -NoProfile -NonInteractive -Command "%pl_ps1%" >nul 2>&1
set "pl_rc=%ERRORLEVEL%"
set "pl_ps1="
if "%pl_rc%"=="3" set "pl_stale=1"
if "%pl_rc%"=="3" exit /b 0
if "%pl_rc%"=="0" exit /b 0
set "pl_msg=build: the check whether the sources are newer than %pl_jar% failed (PowerShell exit code %pl_rc%): not rebuilding"
call :debug
exit /b 0
